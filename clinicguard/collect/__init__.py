"""What ``clinicguard collect`` does to a recording before it leaves the machine: masking identities, keeping no
secret.
"""
