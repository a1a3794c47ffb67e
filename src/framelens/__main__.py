"""``python -m framelens``."""
import sys

from .cli import main

sys.exit(main())
