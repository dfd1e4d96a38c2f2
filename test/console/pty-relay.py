#!/usr/bin/env python3
# The tech's laptop end of a serial cable, for tests: opens a real pty, prints
# the slave path (the "ttyS0" the console opens) on the first line of stdout,
# then relays stdin to the master and the master to stdout, byte for byte.
import os, pty, select, sys, tty

master, slave = pty.openpty()
tty.setraw(slave)
name = os.ttyname(slave)
out = sys.stdout.buffer
out.write((name + "\n").encode()); out.flush()
# The slave stays open here too, so the master never reads EIO between the
# console's opens of it.
stdin = sys.stdin.buffer.raw
while True:
    r, _, _ = select.select([master, stdin], [], [])
    if master in r:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b""
        if data:
            out.write(data); out.flush()
    if stdin in r:
        data = os.read(stdin.fileno(), 4096)
        if not data:
            break
        os.write(master, data)
