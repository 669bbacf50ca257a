from xl_jiaoyan.cli import run

run()
