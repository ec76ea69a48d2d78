from monitor.desk.cli import main

raise SystemExit(main())
