.PHONY: run test bench messages
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
# Update every translation catalogue (then translate and commit)
messages:
	.venv/bin/python manage.py i18n
