#!/usr/bin/python3
# A resident LibreOffice for the server, run inside soffice-sandbox (no network, its own PID
# namespace, a throwaway profile). Starting soffice costs seconds per upload; kept running and
# driven over UNO, a conversion costs only loading and exporting the document.
#
# Why Python: Debian's python3-uno is the UNO binding that ships with LibreOffice itself (Node has
# none), and a helper this small is simpler than unoconv's listener plus its client per request.
#
# Started as  soffice-resident.py -env:UserInstallation=file:///… SOFFICE_PATH
# (the profile argument first, so that soffice-sandbox seeds it with our hardened settings).
# It starts soffice listening on a pipe (a UNIX socket: nothing to reach over a network, and the
# namespace has none), connects, prints {"ready": true}, then reads one JSON request a line on
# stdin, warming the Impress, Writer, Calc and chart modules up while none waits:
#   {"id": 1, "input": "/…/source.pptx", "output": "/…/document.pdf", "filter": "impress_pdf_Export"}
# says when it takes each up ({"id": 1, "started": true}: the time limit starts), and answers each
# on stdout, one at a time:
#   {"id": 1, "ok": true}   or   {"id": 1, "ok": false, "error": "…"}
# It exits when stdin closes (the server is gone) or soffice exits (a crash); as PID 1 of the
# namespace, its exit takes every LibreOffice process with it. The server kills the whole
# sandbox past a conversion's time limit.
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

START_SECONDS = 60
# An embedded chart object (LibreOffice's chart2 component).
CHART_CLSID = "12dcae26-281f-416f-a234-c3086127382e"


def props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def start(profile_arg, soffice):
    pipe = "estrade_" + uuid.uuid4().hex
    office = subprocess.Popen(
        [
            soffice,
            profile_arg,
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )

    # soffice gone (crashed, killed): nothing left to drive, so this helper ends too.
    def watch():
        code = office.wait()
        sys.stderr.write("soffice exited with %s\n" % code)
        sys.stderr.flush()
        os._exit(3)

    threading.Thread(target=watch, daemon=True).start()
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def load(desktop, url):
    return desktop.loadComponentFromURL(
        url,
        "_blank",
        0,
        props(
            Hidden=True,
            ReadOnly=True,
            # com.sun.star.document.MacroExecMode.NEVER_EXECUTE and UpdateDocMode.NO_UPDATE: the
            # profile says so already; per document too, in case a filter reads its own settings.
            MacroExecutionMode=0,
            UpdateDocMode=0,
            # No dialog may wait for an answer that never comes (password, repair prompts).
            Silent=True,
        ),
    )


def export(document, output, pdf_filter):
    try:
        document.storeToURL(uno.systemPathToFileUrl(output), props(FilterName=pdf_filter, Overwrite=True))
    finally:
        document.close(True)


def warm_up_steps(desktop, workdir):
    """Each module loads its libraries on first use: an empty document of each, exported to PDF,
    makes the first real upload as fast as the next ones. One step per module, so that a request
    arriving meanwhile waits for one step at most (see main)."""
    output = os.path.join(workdir, "warm-up.pdf")

    def empty(factory, pdf_filter):
        document = desktop.loadComponentFromURL("private:factory/" + factory, "_blank", 0, props(Hidden=True))
        export(document, output, pdf_filter)

    def chart():
        # Charts live in a module of their own, loaded by the first document that has one (about
        # 2 s on this machine's class of hardware): a slide with a chart of LibreOffice's sample data.
        document = desktop.loadComponentFromURL("private:factory/simpress", "_blank", 0, props(Hidden=True))
        shape = document.createInstance("com.sun.star.drawing.OLE2Shape")
        document.DrawPages.getByIndex(0).add(shape)
        shape.CLSID = CHART_CLSID
        export(document, output, "impress_pdf_Export")
        os.remove(output)

    return [
        lambda: empty("simpress", "impress_pdf_Export"),
        lambda: empty("swriter", "writer_pdf_Export"),
        lambda: empty("scalc", "calc_pdf_Export"),
        chart,
    ]


def read_requests(requests):
    # Lines are read on a thread of their own, so the main thread (the only one talking UNO) can
    # tell whether a request waits between two warm-up steps.
    for line in sys.stdin:
        requests.put(line)
    requests.put(None)


def main():
    profile_arg, soffice = sys.argv[1], sys.argv[2]
    workdir = uno.fileUrlToSystemPath(profile_arg.split("=", 1)[1])
    desktop = start(profile_arg, soffice)
    # Ready as soon as soffice answers: the modules are warmed while nothing else waits, and an
    # upload arriving during the warm-up (the first one after a start) goes before the steps left.
    say({"ready": True})
    warm = warm_up_steps(desktop, workdir)
    requests = queue.Queue()
    threading.Thread(target=read_requests, args=(requests,), daemon=True).start()
    while True:
        try:
            line = requests.get_nowait() if warm else requests.get()
        except queue.Empty:
            try:
                warm.pop(0)()
            except Exception:  # a failed warm-up only costs the first upload some time
                pass
            continue
        if line is None:
            break
        request = json.loads(line)
        say({"id": request["id"], "started": True})
        try:
            document = load(desktop, uno.systemPathToFileUrl(request["input"]))
            if document is None:
                raise RuntimeError("LibreOffice could not open the document")
            export(document, request["output"], request["filter"])
            say({"id": request["id"], "ok": True})
        except Exception as err:  # UNO raises its own exception classes; all mean "not converted".
            say({"id": request["id"], "ok": False, "error": str(err)[:500] or type(err).__name__})
    # stdin closed: the server is gone.
    os._exit(0)


if __name__ == "__main__":
    main()
