"""The local web page (``parasched serve``): re-plan the day from a browser, nothing leaves the machine."""
