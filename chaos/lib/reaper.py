"""The chaos suite's init: a child subreaper that adopts every orphan of the scenario it runs.

PID 1 on some machines (containers, micro-VMs) never reaps, so a SIGKILLed daemon stays a
zombie forever and exhausts pids. Run as a subreaper, this process adopts what the scenario
orphans, so the suite can choose how its init behaves:

  --reap live      reap every adopted child as it dies (a well-behaved init)
  --reap deferred  reap nothing until the scenario is over (an init that never reaps, as
                   PID 1 here), then reap everything so nothing outlives the run

Usage: python3 reaper.py --reap live|deferred -- COMMAND [ARG...]
It prints nothing, ignores SIGINT (the runner decides), and once COMMAND has ended it keeps
reaping until its stdin closes: the runner closes it after sweeping what is left. It exits
with COMMAND's exit status (128 + signal when killed).
"""
import ctypes
import os
import signal
import sys
import threading

PR_SET_CHILD_SUBREAPER = 36


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "--reap" or args[1] not in ("live", "deferred") or args[2] != "--":
        sys.stderr.write("usage: reaper.py --reap live|deferred -- COMMAND [ARG...]\n")
        return 2
    mode, command = args[1], args[3:]
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.stderr.write("reaper: prctl(PR_SET_CHILD_SUBREAPER) failed\n")
        return 1
    # A handler, not SIG_IGN: a handler is reset on exec, so the command gets SIGINT as usual.
    signal.signal(signal.SIGINT, lambda *_: None)
    stdin_closed = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), stdin_closed.set()), daemon=True).start()

    child = os.fork()
    if child == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    status = None
    while status is None:
        # Deferred: wait for the scenario only; adopted orphans stay zombies meanwhile.
        pid, raw = os.waitpid(-1 if mode == "live" else child, 0)
        if pid == child:
            status = raw
    while not stdin_closed.is_set():
        reap_all()
        stdin_closed.wait(0.1)
    reap_all()
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def reap_all():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    sys.exit(main())
