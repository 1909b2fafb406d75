"""Certificates of results, one module per use case: certify (recount, seal, store), verify, read.

The job that runs them is voting.jobs.certify; the public pages are voting.web.verify.
"""
from voting.actions.certificates.store import CertificateStore, certificate_store, init_certificates

__all__ = ["CertificateStore", "certificate_store", "init_certificates"]
