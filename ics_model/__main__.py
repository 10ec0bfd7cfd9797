import sys

from ics_model.cli import main

sys.exit(main())
