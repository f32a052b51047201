from django.core.management.base import BaseCommand

from logistics.demo import DEMO_PASSWORD, seed_demo
from logistics.home import data_changed


class Command(BaseCommand):
    help = "Create (or complete) the demo school with a user for every role. Safe to run again."

    def handle(self, *args, **options):
        result = seed_demo(stdout=self.stdout)
        data_changed(None)  # home cards cached before the seeding are out of date
        self.stdout.write(self.style.SUCCESS(
            f"Demo school “{result['school'].name}” ready; users: {', '.join(sorted(result['users']))} (password {DEMO_PASSWORD})"
        ))
