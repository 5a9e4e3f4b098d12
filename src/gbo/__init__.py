"""gbo: an evidence platform for group-based child sexual exploitation.

gbo links case records from several agencies, finds offending groups, measures the
characteristics of offenders, victims and the context of offending, and publishes
disclosure-controlled aggregate statistics. It never scores or ranks an individual.
"""

from gbo.errors import GboError

__version__ = "0.1.0"

__all__ = ["GboError", "__version__"]
