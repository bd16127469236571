from clinicguard.launcher import main

raise SystemExit(main())
