"""One reader per official list format. Each turns a file into FollowTheMoney entities.

See `base.py` for the contract every reader follows and `registry.py` for detection.
"""
