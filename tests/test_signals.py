#!/usr/bin/python3
"""test_signals (standalone): Ctrl-C and SIGTERM are honoured at every moment, in every
program: while a scenario loads, while initial items are placed, during a run (partial
results kept, complete = 0), in customs-sweep, customs-report and customs-view.

A signal that comes before the program is loaded (the dynamic loader maps HDF5's
dependencies, some tens of milliseconds) meets the default action: the process ends by
that signal, which a shell shows as 130 for SIGINT. From then on the exit status is 130.
No wall-clock threshold: a timeout only guards against a signal being ignored, and
the load and initial-item cases compare with the time the same work takes unhindered.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py

BUILD = os.environ.get("BUILD", "build")
SIM, SWEEP, REPORT, VIEW = (os.path.join(BUILD, p) for p in
                            ("customs-sim", "customs-sweep", "customs-report", "customs-view"))
tmp = tempfile.mkdtemp()
# A test started in the background by a shell without job control (`make test &` in a
# script) inherits SIGINT ignored, and so would every program it starts: a signal before
# the program sets its handler would then be lost rather than meet the default action.
# A handler of our own is reset to the default in each child by exec.
signal.signal(signal.SIGINT, signal.default_int_handler)
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what)


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


BASE = ('name = "t";\nrun = { days = 1.0; };\n'
        'channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = %s; }; route = [ "s0" ]; }; };\n'
        'stations = { s0 = { servers = 1; service = { dist = "exponential"; mean_min = %s; }; }; };\n')
heavy = write("heavy.cfg", BASE % ("600.0", "0.05"))


def catches(pid, sig):
    """Whether the process has a handler for sig (the SigCgt mask of /proc/PID/status)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    except OSError:
        pass
    return False


def signalled(args, delay, sig=signal.SIGINT, limit=60, loaded=False):
    """Runs args, sends sig after delay seconds (with loaded: once the program has set
    its handler, then after delay more, so a slow start on a busy or instrumented build
    is not mistaken for a lost signal); (returncode, seconds, stderr)."""
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while loaded and p.poll() is None and not catches(p.pid, sig) and time.monotonic() - t0 < limit:
        time.sleep(0.001)
    time.sleep(delay)
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        return "timeout", time.monotonic() - t0, err.decode(errors="replace")
    return p.returncode, time.monotonic() - t0, err.decode(errors="replace")


def complete(path):
    with h5py.File(path, "r") as f:
        return int(f.attrs["complete"])


# 1. the first milliseconds: never a normal end, never a partial file left
out = os.path.join(tmp, "early.h5")
codes = []
for ms in (0, 1, 2, 5, 10, 20, 40, 80, 150):
    rc, _, _ = signalled([SIM, "-q", "--days", "1000", "-o", out, heavy], ms / 1000,
                         loaded=ms == 150)
    codes.append(rc)
    if os.path.exists(out):
        os.remove(out)
early_ok = all(c in (130, -signal.SIGINT) for c in codes) and not os.path.exists(out + ".partial")
check(early_ok and codes[-1] == 130,
      f"SIGINT after 0-80 ms, then 150 ms after the handler is set: {codes} "
      "(130, or ended by SIGINT before the program is loaded)")
rc, _, _ = signalled([SIM, "-q", "--days", "1000", "-o", out, heavy], 0.3, signal.SIGTERM,
                     loaded=True)
check(rc == 130 and complete(out) == 0, f"SIGTERM during a run: exit {rc}, partial file complete = 0")

# 2. while loading: a scenario whose parse takes seconds (libconfig checks each new name
# of a group against the others)
n = 20000
big = write("big.cfg", 'name = "big"; run = { days = 0.01; };\n'
            'channels = { c0 = { arrivals = { process = "poisson"; rate_per_hour = 1.0; }; route = [ "s0" ]; }; };\n'
            "stations = {\n" + "".join(f" s{i} = {{ servers = 1; }};\n" for i in range(n)) + "};\n")
t0 = time.monotonic()
subprocess.run([SIM, "-q", "--check", big], check=True)
load = time.monotonic() - t0
rc, took, _ = signalled([SIM, "-q", "-o", os.path.join(tmp, "big.h5"), big], min(0.2, load / 4),
                        loaded=True)
check(rc == 130 and took < load / 2 and not os.path.exists(os.path.join(tmp, "big.h5")),
      f"SIGINT while loading: exit {rc} after {took:.2f} s (the load takes {load:.2f} s)")

# 3. while 15 million initial items are placed (seconds of work, gigabytes if it went on)
init = write("init.cfg", BASE % ("30.0", "1.0") +
             'initial = ( { station = "s0"; channel = "c0"; items = 15000000; } );\n')
iout = os.path.join(tmp, "init.h5")
rc, took, _ = signalled([SIM, "-q", "-o", iout, init], 0.5, limit=20, loaded=True)
check(rc == 130 and complete(iout) == 0, f"SIGINT while placing initial items: exit {rc} after {took:.2f} s")

# 4. customs-sweep: while loading, and during the run (partial results kept)
rc, _, _ = signalled([SWEEP, "-q", big, "--vary", "stations.s0.servers=1,2"], min(0.2, load / 4),
                     loaded=True)
check(rc == 130, f"customs-sweep, SIGINT while loading: exit {rc}")
sout = os.path.join(tmp, "sweep.h5")
rc, _, _ = signalled([SWEEP, "-q", "-o", sout, "--days", "1000", heavy, "--vary", "stations.s0.servers=1,2"], 0.5,
                     loaded=True)
check(rc == 130 and complete(sout) == 0, f"customs-sweep, SIGINT during the run: exit {rc}, complete = 0")

# 5. customs-report: its worker child is stopped with it (a FIFO blocks the child's open)
fifo = os.path.join(tmp, "fifo.h5")
os.mkfifo(fifo)
p = subprocess.Popen([REPORT, fifo], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
children, t0 = [], time.monotonic()
while not children and p.poll() is None and time.monotonic() - t0 < 20:  # its child forked
    time.sleep(0.01)
    try:
        with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        children = []
time.sleep(0.1)
p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "timeout"
time.sleep(0.2)
left = [c for c in children if os.path.exists(f"/proc/{c}") and
        open(f"/proc/{c}/stat").read().split()[2] != "Z"]
check(rc == 130 and children and not left, f"customs-report, SIGTERM: exit {rc}, worker child stopped too")

# 6. customs-view, headless
shot = os.path.join(tmp, "v.png")
rc, _, _ = signalled([VIEW, "--headless", "--frames", "1000000", "--screenshot", shot, heavy], 1.0,
                     loaded=True)
check(rc == 130, f"customs-view, SIGINT while drawing: exit {rc}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
