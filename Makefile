# One command runs the app, one runs the tests; both set everything up first.
.PHONY: run test bootstrap bench screenshots

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	.venv/bin/readinglist

test: bootstrap
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q

bench: bootstrap
	QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py
