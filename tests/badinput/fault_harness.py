"""Fault injection for ``ccd run``: kill runs at random moments while they write.

Usage: ``python fault_harness.py FOLDER RUNS SEED`` with FOLDER a copy of the
bad-input study folder. Prints one JSON object (the summary) on stdout.

Two small configs that produce different file sets (``a.toml``: indices and
coupling; ``b.toml``: the same plus the Dagum step) are first run once each
into reference folders. Then ``out/`` is made by run A, a file of the user's
is put in it, and RUNS times a new ``ccd run`` — the other config than the
folder holds, so old and new differ — is started in a child process and
killed with SIGINT or SIGKILL at a random moment after it has begun building
its folder (the hidden ``.out.ccd-new-PID-…`` sibling exists), drawn uniformly
within a window that starts as the writing time of a warm run and adapts to
the machine's load (shrinks after a kill that came too late, grows after one
that came while writing). After each kill ``out/`` must be exactly run A or
exactly run B: the same files as that reference, every table byte-identical
to it, the manifest matching, the report and resolved config of the same
run, the user's file unchanged. A final run must sweep every leftover.

The children are forks of this warm interpreter, each calling
``toolbox.cli.main(["run", …])`` — the code path of the ``ccd`` command —
so that 20 runs take seconds rather than minutes of imports.
"""

import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from toolbox import cli  # noqa: E402
from toolbox.atomic import MANIFEST, folder_is_complete, read_manifest  # noqa: E402

TITLES = {"A": "run A", "B": "run B"}
NOTE = "my notes, not the toolbox's\n"


def write_configs():
    with open("quick.toml", encoding="utf-8") as handle:
        text = handle.read()
    head = text[:text.index("[tiers]")]
    with open("a.toml", "w", encoding="utf-8") as handle:
        handle.write(head.replace("bad-input study", TITLES["A"]))
    with open("b.toml", "w", encoding="utf-8") as handle:
        handle.write(head.replace("bad-input study", TITLES["B"]) + '[dagum]\ngroup_field = "GROUP"\n')


def ccd_run(config, folder):
    return ["--quiet", "run", config, "--output-dir", folder]


def in_child(argv):
    """Fork; the child runs ``ccd argv`` with stdout/stderr silenced and exits with its code."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            code = cli.main(argv)
        except BaseException:
            code = 99
        os._exit(code)
    return pid


def staging_of(pid):
    prefix = f".out.ccd-new-{pid}-"
    return [e for e in os.listdir(".") if e.startswith(prefix)]


def writing_time(argv, folder):
    """Run ``ccd argv`` to the end; (exit code, seconds its staging folder existed)."""
    pid = in_child(argv)
    prefix, seen, gone = f".{folder}.ccd-new-{pid}-", None, None
    while True:
        finished, status = os.waitpid(pid, os.WNOHANG)
        present = any(e.startswith(prefix) for e in os.listdir("."))
        now = time.perf_counter()
        if present and seen is None:
            seen = now
        if seen is not None and not present and gone is None:
            gone = now
        if finished:
            gone = gone or now
            return os.waitstatus_to_exitcode(status), gone - (seen or gone)
        time.sleep(0.002)


def files(folder):
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = handle.read()
    return found


def kind_of(folder, references):
    """'A' or 'B' if ``folder`` is exactly that complete run (plus the user's note), else a reason."""
    content = files(folder)
    if content.get("notes.txt") != NOTE.encode():
        return "the user's notes.txt changed or vanished"
    if not folder_is_complete(folder):
        return "manifest and files disagree"
    config = content.get("study-resolved.toml", b"").decode("utf-8", "replace")
    kinds = [k for k, title in TITLES.items() if f'"{title}"' in config]
    if len(kinds) != 1:
        return "study-resolved.toml names neither run"
    kind = kinds[0]
    reference = references[kind]
    names = set(content) - {"notes.txt", MANIFEST}
    if names != set(reference):
        return f"files of run {kind} differ: {sorted(names ^ set(reference))}"
    for name, data in reference.items():
        if name.endswith(".csv") and content[name] != data:
            return f"{name} differs from run {kind}'s"
    if TITLES[kind] not in content["report.html"].decode("utf-8"):
        return f"report.html is not run {kind}'s"
    if set(read_manifest(folder)) != names:
        return "the manifest lists other files"
    return kind


def main():
    folder, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.chdir(folder)
    rng = random.Random(seed)
    write_configs()
    references, windows = {}, []
    for kind in ("A", "B"):
        for _ in range(2):  # the second run is warm: its writing time is the one that counts
            code, writing = writing_time(ccd_run(f"{kind.lower()}.toml", f"ref{kind}"), f"ref{kind}")
            assert code == 0, f"reference run {kind} failed"
        windows.append(writing)
        references[kind] = {n: d for n, d in files(f"ref{kind}").items() if n != MANIFEST}
    window = max(windows)
    _, status = os.waitpid(in_child(ccd_run("a.toml", "out")), 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with open("out/notes.txt", "w", encoding="utf-8") as handle:
        handle.write(NOTE)
    state = "A"
    summary = {"runs": 0, "sigint": 0, "sigkill": 0, "while_writing": 0, "after_commit": 0,
               "became_new": 0, "stayed_old": 0, "failures": [], "window_s": round(window, 2)}
    for attempt in range(runs):
        new = "B" if state == "A" else "A"
        pid = in_child(ccd_run(f"{new.lower()}.toml", "out"))
        deadline = time.perf_counter() + 120
        while not staging_of(pid) and time.perf_counter() < deadline:
            finished, _ = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
            time.sleep(0.002)
        time.sleep(rng.uniform(0, window))
        writing = bool(staging_of(pid))
        # the writing time varies with the machine's load: aim so that most kills land
        # while the folder is being built and some after the swap
        window = window * 1.05 if writing else window * 0.75
        chosen = rng.choice((signal.SIGINT, signal.SIGKILL))
        try:
            os.kill(pid, chosen)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        summary["runs"] += 1
        summary["sigint" if chosen == signal.SIGINT else "sigkill"] += 1
        summary["while_writing" if writing else "after_commit"] += 1
        found = kind_of("out", references)
        if found not in ("A", "B"):
            summary["failures"].append(f"run {attempt + 1} ({chosen.name}, "
                                       f"{'while writing' if writing else 'after'}): {found}")
            break
        summary["became_new" if found == new else "stayed_old"] += 1
        state = found
    new = "B" if state == "A" else "A"
    _, status = os.waitpid(in_child(ccd_run(f"{new.lower()}.toml", "out")), 0)
    summary["final_run_exit"] = os.waitstatus_to_exitcode(status)
    summary["final_state"] = kind_of("out", references)
    summary["leftovers"] = sorted(e for e in os.listdir(".") if ".ccd-" in e)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
