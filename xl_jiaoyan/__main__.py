from xl_jiaoyan.cli import main

raise SystemExit(main())
