"""Ballots, one module per use case: create, open, cast, close, and reading results.

The transaction boundaries live here; counting lives in voting.domain; storage
of the secret ballot box in voting.storage.ballot_box.
"""
from voting.actions.ballots.cast import CastReceipt, cast_vote
from voting.actions.ballots.close import close_ballot
from voting.actions.ballots.create import create_ballot
from voting.actions.ballots.open import extend_ballot, open_ballot
from voting.actions.ballots.read import ballot_status, get_ballot, ballot_result, live_tally
from voting.actions.ballots.runoff import create_runoff

__all__ = [
    "CastReceipt",
    "ballot_result",
    "ballot_status",
    "cast_vote",
    "close_ballot",
    "create_ballot",
    "create_runoff",
    "extend_ballot",
    "get_ballot",
    "live_tally",
    "open_ballot",
]
