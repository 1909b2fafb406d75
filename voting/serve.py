"""The web server process: `python -m voting.serve --host 127.0.0.1 --port 5000`.

gevent serves many phones' websockets from one process; simple-websocket supplies
the websocket transport. `voting run` starts one of these; for more, run several
behind a sticky load balancer (see the README).
"""
from gevent import monkey

# Before anything else is imported: sockets, threads and time must be gevent's
# everywhere (Redis clients, SQLAlchemy pools), or one slow call blocks every phone.
monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

BACKLOG = 2048  # pending connections the listening socket queues (the kernel caps it at somaxconn)
OLD_GENERATION_THRESHOLD = 100  # middle-generation collections between full ones (Python's default: 10)


def settle_garbage_collector() -> None:
    """Keep full garbage collections short: they stop every phone of the process while they run.

    With thousands of websockets a full collection scanned every object the
    process ever imported and took 200-350 ms, and at 300 votes a second every
    pause left a queue that took a second or more to drain (bench/hall.py).
    Freezing what exists once the app is built (modules, schemas, compiled
    queries) leaves only the connections' own objects to scan, and a full
    collection is considered ten times less often (Python still skips it unless
    a quarter of the old objects are new). Young collections stay as they are.
    """
    import gc

    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, OLD_GENERATION_THRESHOLD)


def main(argv: list[str] | None = None) -> None:
    """Parse --host/--port, build the web app and serve it until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m voting.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--access-log", action="store_true", help="log every request (noisy with many phones)")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s [web] %(name)s: %(message)s"
    )
    from voting import create_app
    from voting.extensions import socketio

    app = create_app({"SOCKETIO_ASYNC_MODE": "gevent"}, role="web")
    settle_garbage_collector()
    # SIGTERM (from `voting run`, systemd or docker) ends the server like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    logging.getLogger("voting").info("serving on http://%s:%d", args.host, args.port)
    try:
        # backlog: a hall's phones connect in a burst; gevent's default queue of 128
        # pending connections drops the rest, which then retry a second or more later.
        socketio.run(app, host=args.host, port=args.port, debug=False, use_reloader=False,
                     log_output=args.access_log, backlog=BACKLOG)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
