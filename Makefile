.PHONY: run test bench loadtest drill messages
# Set up and run the system (web + Celery worker + beat) with the demo school on http://127.0.0.1:8000
run:
	scripts/run.sh
# Set up and run the whole test suite (against DATABASE_URL / REDIS_URL when set)
test:
	scripts/test.sh
# Benchmark: seed PostgreSQL and SQLite at district scale, measure pages and jobs (README "Performance")
bench:
	scripts/setup.sh run
	.venv/bin/python -m benchmarks $(BENCH_ARGS)
# Load test: 50 people across the roles for 2 minutes against gunicorn on PostgreSQL (README "Reliability")
loadtest:
	scripts/setup.sh run
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logistics_load} .venv/bin/python -m tests.load $(LOAD_ARGS)
# Backup and restore drill on the configured database (README "Operations")
drill:
	scripts/setup.sh run
	.venv/bin/python manage.py backup_drill
# Update every translation catalogue (then translate and commit)
messages:
	.venv/bin/python manage.py i18n
