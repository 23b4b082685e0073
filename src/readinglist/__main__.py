"""Allow ``python -m readinglist``."""

from readinglist.app import main

raise SystemExit(main())
