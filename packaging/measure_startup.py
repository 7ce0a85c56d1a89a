"""Measure ConvDesigner's start-up, from outside the app (no app code is changed): Linux, under Xvfb.

    python3 packaging/measure_startup.py [--runs 5] [--frozen /usr/bin/convdesigner]
                                         [--unfrozen "/work/venv/bin/python -m convdesigner"]

For each program (the installed, frozen app and the unfrozen one from a venv) it measures:

* window: seconds from process start until a visible top-level window named ConvDesigner is
  mapped on the X server (polled with xdotool every 10 ms), the app started normally (no flags);
* first frame: the wall time of ``--screenshot OUT.png``, which shows the window, waits for the
  first live update (torch computes it on the worker thread), saves the picture and exits.

Cold runs first evict the program's files from the page cache (posix_fadvise DONTNEED on every
file under the given folders, only those files: other processes keep their cache), so the libraries
are read from disk again. Warm runs follow each other with everything cached. Prints a table and
writes JSON (--json FILE). Needs Xvfb and xdotool (apt-get install xvfb xdotool).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POLL = 0.01
TIMEOUT = 120.0


def evict(folders: list[Path]) -> int:
    """Drop the page-cache pages of every regular file under folders; returns bytes touched."""
    total = 0
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                try:
                    if os.path.islink(path) or not os.path.isfile(path):
                        continue
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    total += os.fstat(fd).st_size
                finally:
                    os.close(fd)
    return total


class Xvfb:
    """A private X server; -displayfd lets Xvfb choose a free display and say when it is ready."""

    def __enter__(self) -> Xvfb:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                                         "1600x1000x24", "-noreset", "-nolisten", "tcp"], pass_fds=(write_end,),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        self.display = f":{number}"
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait()


def visible_window(display: str) -> bool:
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "ConvDesigner"],
                            env={**os.environ, "DISPLAY": display}, capture_output=True, text=True)
    return result.returncode == 0 and bool(result.stdout.strip())


def time_to_window(command: list[str], display: str, cwd: str | None, settings: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = display
    # A throw-away settings file, so that no run inherits a saved window state or device choice.
    log = open(settings.with_suffix(".log"), "w+")  # noqa: SIM115 -- the child writes it
    started = time.perf_counter()
    process = subprocess.Popen(command + ["--settings", str(settings)], env=env, cwd=cwd,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if visible_window(display):
                return time.perf_counter() - started
            if process.poll() is not None:
                log.seek(0)
                raise SystemExit(f"{command} exited with {process.returncode} before showing a window:\n"
                                 + log.read()[-3000:])
            if time.perf_counter() - started > TIMEOUT:
                raise SystemExit(f"{command}: no window after {TIMEOUT} s")
            time.sleep(POLL)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def time_to_first_frame(command: list[str], display: str, cwd: str | None, out: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = display
    started = time.perf_counter()
    subprocess.run(command + ["--screenshot", str(out)], env=env, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    return time.perf_counter() - started


def measure(label: str, command: list[str], cache_folders: list[Path], runs: int, display: str,
            cwd: str | None, scratch: Path) -> dict:
    result = {"command": command, "cold_window": [], "warm_window": [], "cold_frame": [], "warm_frame": []}
    for run in range(runs):
        evict(cache_folders)
        result["cold_window"].append(time_to_window(command, display, cwd, scratch / f"{label}-c{run}.ini"))
        evict(cache_folders)
        result["cold_frame"].append(time_to_first_frame(command, display, cwd, scratch / f"{label}.png"))
    time_to_window(command, display, cwd, scratch / f"{label}-prime.ini")     # prime the cache
    for run in range(runs):
        result["warm_window"].append(time_to_window(command, display, cwd, scratch / f"{label}-w{run}.ini"))
        result["warm_frame"].append(time_to_first_frame(command, display, cwd, scratch / f"{label}.png"))
    for key in ("cold_window", "warm_window", "cold_frame", "warm_frame"):
        result[key + "_median"] = round(statistics.median(result[key]), 3)
        result[key] = [round(value, 3) for value in result[key]]
    return result


def folders_of_python(python: str) -> list[Path]:
    code = ("import sys, sysconfig; print(sysconfig.get_paths()['stdlib']); "
            "print(sysconfig.get_paths()['purelib']); print(sys.base_prefix)")
    lines = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return [Path(line) for line in lines]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frozen", default="/usr/bin/convdesigner")
    parser.add_argument("--frozen-folder", default="/opt/convdesigner")
    parser.add_argument("--unfrozen", default="/work/venv/bin/python -m convdesigner")
    parser.add_argument("--unfrozen-cwd", default=str(Path(__file__).resolve().parent.parent),
                        help="working folder of the unfrozen app (a checkout: python -m convdesigner)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"needs {tool} (apt-get install xvfb xdotool)")
    unfrozen = shlex.split(args.unfrozen)
    programs = {
        "frozen": ([args.frozen], [Path(args.frozen_folder)], None),
        "unfrozen": (unfrozen, folders_of_python(unfrozen[0]) + [Path(args.unfrozen_cwd) / "convdesigner"],
                     args.unfrozen_cwd),
    }
    results = {}
    with Xvfb() as xvfb, tempfile.TemporaryDirectory(prefix="cd-startup-") as scratch:
        for label, (command, folders, cwd) in programs.items():
            results[label] = measure(label, command, folders, args.runs, xvfb.display, cwd, Path(scratch))
    print(f"{'':10} {'cold window':>12} {'warm window':>12} {'cold 1st frame':>15} "
          f"{'warm 1st frame':>15}   (medians of {args.runs}, seconds)")
    for label, result in results.items():
        print(f"{label:10} {result['cold_window_median']:12.2f} {result['warm_window_median']:12.2f} "
              f"{result['cold_frame_median']:15.2f} {result['warm_frame_median']:15.2f}")
    for key in ("cold_window", "warm_window", "cold_frame", "warm_frame"):
        difference = results["frozen"][key + "_median"] - results["unfrozen"][key + "_median"]
        results.setdefault("frozen_minus_unfrozen", {})[key] = round(difference, 3)
    print("frozen - unfrozen:", results["frozen_minus_unfrozen"])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
