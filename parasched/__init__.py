"""parasched: weekly paraprofessional schedules for schools, built with a constraint solver."""

__version__ = "0.1.0"
