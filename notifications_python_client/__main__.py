"""``python -m notifications_python_client``: the `notify` command line, without the script."""

from notifications_python_client.cli.entry import main

if __name__ == "__main__":
    raise SystemExit(main())
