#!/usr/bin/python3
"""The desktop UI as a person uses it, through accessibility: the real
locphone window under Xvfb, found and driven with dogtail over AT-SPI,
against the real engine (locphoned with /usr/bin/baresip) and sipp as the
PBX and the PSAP.  One scenario per run: test_ui.py SCENARIO."""

import os
import re
import subprocess
import sys
import traceback

from uisession import App, Desktop, need_desktop

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from lphelp import (BUILD, DTMF_EVENT, Engine, Failure,  # noqa: E402
                    RtpSink, Sipp, Workdir, check, need, wait_for)
import psapcheck  # noqa: E402

# What the person types into the set-address dialog: the field's label
# (its accessible name) -> text, the country first (it lays the form out);
# and the civic address (RFC 5139 elements) the engine then holds.
ADDRESS = {
    "Country": "United States",
    "Street number": "1",
    "Street": "Microsoft Way",
    "Floor": "3",
    "Room": "3.141",
    "City": "Redmond",
    "State": "Washington",
    "ZIP code": "98052",
}
ADDRESS_CIVIC = {"country": "US", "A1": "WA", "A3": "Redmond",
                 "RD": "Microsoft", "STS": "Way", "HNO": "1", "FLR": "3",
                 "ROOM": "3.141", "PC": "98052"}
ADDRESS_WORDS = "1 Microsoft Way, Floor 3, Room 3.141, Redmond, WA 98052, US"
# The same address as the engine words what an emergency call carried
# (PROTOCOL.md call "emergency" location_summary).
ENGINE_WORDS = "1 Microsoft Way, room 3.141, Redmond, WA, 98052, US, floor 3"
# A second place, saved under another name (places-use).
HOME = {
    "Country": "United States",
    "Street number": "20",
    "Street": "Pine St",
    "City": "Seattle",
    "State": "WA",
    "ZIP code": "98101",
}
HOME_CIVIC = {"country": "US", "A1": "WA", "A3": "Seattle", "RD": "Pine",
              "STS": "St", "HNO": "20", "PC": "98101"}
HOME_WORDS = "20 Pine St, Seattle, WA 98101, US"
# RFC 5139 element names: none may show in the address form
ELEMENT_NAMES = re.compile(
    r"\b(A[1-6]|PRD|POD|STS|HNO|HNS|LMK|LOC|NAM|PC|BLD|UNIT|FLR|ROOM|"
    r"PLC|PCN|POBOX|ADDCODE|SEAT|RD|RDSEC|RDBR|RDSUBBR|PRM|POM)\b")
# sipp scenarios of the UI tests' own
UI_SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "scenarios")

dogtail = None  # imported once the desktop's buses are in the environment


def accessible_id(node):
    """The AT-SPI accessible id the UI gave node, or None."""
    try:
        return node.get_accessible_id() or None
    except Exception:  # gone, or not an accessible of ours
        return None


class Phone:
    """sipp as PBX (registrar, ordinary calls) and as PSAP (the
    administrator's emergency route), the engine, and the UI on it."""

    def __init__(self, wd, desktop, conf="", policy=None, ui_env=None):
        """policy: the administrator's policy file instead of the one with
        the PSAP as emergency route."""
        self.wd = wd
        self.ui_env = ui_env
        self.desktop = desktop
        # both far ends accept telephone-events; their RTP is read here
        self.pbx_rtp, self.psap_rtp = RtpSink(), RtpSink()
        self.pbx = Sipp(wd, "pbx_dtmf.xml", "pbx",
                        extra=("-key", "rtp_port", str(self.pbx_rtp.port)))
        self.psap = Sipp(wd, "pbx_dtmf.xml", "psap",
                         extra=("-key", "rtp_port",
                                str(self.psap_rtp.port)))
        self.aor = f"sip:alice@127.0.0.1:{self.pbx.port}"
        policy_file = os.path.join(wd, "policy.conf")
        with open(policy_file, "w") as f:
            f.write(policy if policy is not None else
                    f"emergency_route sip:911@127.0.0.1:{self.psap.port}\n")
        self.conf = f"policy_file {policy_file}\n" + conf
        self.engine = self.ui = None
        self.callers = []
        try:
            self.engine = self.start_engine()
            self.ui = App(self.engine.socket, wd, ui_env)
            self.app = wait_for(self._app_node, 30,
                                "the UI on the AT-SPI bus")
        except BaseException:
            self.stop()
            raise

    def start_engine(self):
        return Engine(self.wd, f"<{self.aor}>;regint=60\n", conf=self.conf)

    def _app_node(self):
        for app in dogtail.tree.root.applications():
            try:
                if app.get_process_id() == self.ui.proc.pid:
                    return app
            except Exception:  # an application leaving the bus meanwhile
                continue
        check(self.ui.alive(), "the UI exited: " + self.ui.output())
        return None

    def find(self, name, role, parent=None, timeout=15):
        """The node named name with role, below parent (the UI)."""
        pred = dogtail.predicate.GenericPredicate(name=name, roleName=role)
        root = parent or self.app

        def look():
            return root.findChild(pred, retry=False, requireResult=False)
        return wait_for(look, timeout, f"{role} '{name}' in the UI")

    def by_id(self, ident, parent=None, timeout=15):
        """The node with accessible id ident below parent (the UI): the
        value labels' names are their text, so they are found by id."""
        root = parent or self.app

        def look():
            found = root.findChildren(lambda n: accessible_id(n) == ident,
                                      isLambda=True)
            return found[0] if found else None
        return wait_for(look, timeout, f"the node with id {ident!r}")

    def label_is(self, ident, want, timeout=15):
        """Wait until the label with accessible id ident shows exactly
        want; its accessible name must be that text too."""
        self.label_is_in(None, ident, want, timeout)

    def label_is_in(self, parent, ident, want, timeout=15):
        node = self.by_id(ident, parent)
        try:
            wait_for(lambda: node.text == want and node.name == want,
                     timeout, f"the {ident} label to read {want!r}")
        except Failure:
            raise Failure(f"the {ident} label reads {node.text!r} (named "
                          f"{node.name!r}), want {want!r}")

    def press(self, name, parent=None):
        """Press a button through its accessible action."""
        self.find(name, "push button", parent).doActionNamed("click")

    def type_into(self, name, text, parent=None):
        """Click into the entry named name (or with that accessible id),
        type text on the keyboard."""
        root = parent or self.app
        entry = wait_for(lambda: (root.findChildren(
            lambda n: n.roleName == "text" and
            (n.name == name or accessible_id(n) == name), isLambda=True)
            or [None])[0], 15, f"the entry {name!r}")
        entry.click()
        wait_for(lambda: entry.focused, 10, f"focus in {name}")
        dogtail.rawinput.typeText(text)
        wait_for(lambda: entry.text == text, 10,
                 f"{name} to hold {text!r} (holds {entry.text!r})")

    def banner(self, timeout=15):
        """The emergency banner: a notification, named by what it says."""
        pred = dogtail.predicate.GenericPredicate(roleName="notification")
        return wait_for(lambda: self.app.findChild(
            pred, retry=False, requireResult=False), timeout,
            "the emergency banner (role notification) in the UI")

    def end_emergency_call(self):
        """Hang up on the emergency call: the UI asks first; Stay on the
        line keeps the call, End the call ends it."""
        self.press("Hang up")
        ask = self.find("End the emergency call?", "alert")
        self.press("Stay on the line", ask)
        wait_for(lambda: not ask.showing or ask.dead, 10, "the question")
        check(len(self.calls()) == 1, "Stay on the line kept the call")
        self.press("Hang up")
        ask = self.find("End the emergency call?", "alert")
        self.press("End the call", ask)

    def call_from(self, scenario):
        """sipp calling the engine once with scenario (a path, or a name
        in tests/integration/scenarios)."""
        caller = Sipp(self.wd, scenario, f"caller{len(self.callers)}",
                      extra=(f"127.0.0.1:{self.engine.sip_port}", "-m",
                             "1"))
        self.callers.append(caller)
        return caller

    def result(self, cmd):
        """The engine's answer to cmd, asked over its own control socket."""
        ctl = self.engine.ctl(subscribe=False)
        try:
            return ctl.request(cmd)["result"]
        finally:
            ctl.close()

    def calls(self):
        return self.result("calls")["calls"]

    def status(self):
        return self.result("status")

    def registered(self):
        self.label_is("engine-status", "Engine running")
        self.label_is("account", self.aor)
        self.label_is("registration", "registered")

    def close(self, scenario):
        self.desktop.screenshot(os.path.join(
            BUILD, "meson-logs", f"ui-{scenario}.png"))
        self.stop()

    def stop(self):
        """Stop everything that was started; the UI must not have
        crashed, nor the engine exited uncleanly."""
        try:
            if self.ui:
                self.ui.stop()
        finally:
            try:
                if self.engine:
                    self.engine.stop()
            finally:
                self.pbx.stop()
                self.psap.stop()
                self.pbx_rtp.close()
                self.psap_rtp.close()
                for caller in self.callers:
                    caller.stop()


class UiEvents:
    """The UI's AT-SPI events, recorded from now on: the accessible names
    it gives (a calls-list row, built from call-row.ui, is named "Call"
    first) and the ticks of check boxes.  Events come in the
    order the UI sent them; they are read (the GLib main context pumped)
    only in until()."""

    NAMED = "object:property-change:accessible-name"
    CHECKED = "object:state-changed:checked"
    SHOWN = "object:state-changed:showing"

    def __init__(self, phone):
        import pyatspi
        from gi.repository import GLib
        self.pyatspi = pyatspi
        self.context = GLib.MainContext.default()
        self.pid = phone.ui.proc.pid
        self.seen = []  # (event type, the name given or the box's name)
        # one registration for every object event: once one of them
        # arrives, the UI knows of the listener and sends all of them
        pyatspi.Registry.registerEventListener(self._on_event, "object")

    def _on_event(self, event):
        if not event.type.startswith((self.NAMED, self.CHECKED,
                                      self.SHOWN)):
            return
        try:
            app = event.host_application
            if app is None or app.get_process_id() != self.pid:
                return  # the desktop's own, or another program's
            # a row's widgets may be gone by now: the name the event gave
            what = (event.any_data if event.type.startswith(self.NAMED)
                    else event.source.name)
            if event.type.startswith(self.SHOWN):
                if not event.detail1:
                    return  # hidden, not shown
                what = (event.source.getRoleName(), what)
        except Exception:  # the UI's object gone before it was asked
            what = None
        self.seen.append((event.type, what))

    def rows_built(self, since=0):
        """The calls-list rows the UI built since event number since."""
        return [e for e in self.seen[since:]
                if e[0].startswith(self.NAMED) and e[1] == "Call"]

    def announced(self, since=0):
        """The text of the notifications the UI showed (screen readers
        speak these) since event number since."""
        return [w[1] for t, w in self.seen[since:]
                if t.startswith(self.SHOWN) and w and
                w[0] == "notification"]

    def ticked(self, name, since=0):
        return any(t.startswith(self.CHECKED) and n == name
                   for t, n in self.seen[since:])

    def until(self, pred, timeout, what):
        """Read events until pred() holds."""
        def pump():
            while self.context.iteration(False):
                pass
            return pred()
        return wait_for(pump, timeout, what)

    def close(self):
        self.pyatspi.Registry.deregisterEventListener(self._on_event,
                                                      "object")


def retype(phone, entry, text):
    """Click into entry, select what it holds and type text over it."""
    wait_for(lambda: entry.sensitive, 15, f"{entry.name} to take input")
    entry.click()
    wait_for(lambda: entry.focused, 10, f"focus in {entry.name}")
    dogtail.rawinput.keyCombo("<Control>a")
    if text:
        dogtail.rawinput.typeText(text)
    else:
        dogtail.rawinput.pressKey("Delete")
    wait_for(lambda: entry.text == text, 10,
             f"{entry.name} to hold {text!r} (holds {entry.text!r})")


def form_fields(dialog):
    """The text fields of the address form that are showing."""
    return [n for n in dialog.findChildren(
        lambda n: n.roleName == "text" and n.showing, isLambda=True)]


def enter_address(phone, save_as=None, address=ADDRESS):
    """The person opens Set address…, types the address (and a name to
    save it under) over what the form was filled with, presses OK."""
    phone.press("Set address…")
    dialog = phone.find("Set address", "dialog")
    for field, value in address.items():
        retype(phone, phone.find(field, "text", dialog), value)
    # what the form was filled with and the address lacks goes
    for entry in form_fields(dialog):
        if entry.name not in address and entry.text:
            retype(phone, entry, "")
    if save_as:
        retype(phone, phone.find("Save as", "text", dialog), save_as)
    phone.press("OK", dialog)
    wait_for(lambda: phone.app.findChild(
        dogtail.predicate.GenericPredicate(name="Set address",
                                           roleName="dialog"),
        retry=False, requireResult=False) is None, 15,
        "the dialog to close once the engine took the address")


def scenario_account(phone):
    """a. The account and "registered" once the PBX answered REGISTER."""
    phone.registered()
    check(phone.pbx.requests("REGISTER"), "sipp received the REGISTER")


def scenario_address(phone):
    """b. The set-address dialog, filled in through AT-SPI, becomes the
    engine's location, exactly, and the panel shows it in words."""
    phone.registered()
    enter_address(phone, save_as="Office")
    ctl = phone.engine.ctl(subscribe=False)
    loc = ctl.request("location")["result"]
    want = ADDRESS_CIVIC
    check(loc["civic"] == want, f"the engine's civic {loc['civic']}")
    check(loc["source"] == "manual", f"source {loc['source']}")
    phone.label_is("location", ADDRESS_WORDS)
    phone.label_is("location-source",
                   "Entered by you — not verified by the network")

    # saved under the name typed; Saved places lists it, Delete deletes
    saved = ctl.request("location.list")["result"]["locations"]
    check([(p["name"], p["civic"]) for p in saved] == [("Office", want)],
          f"the engine saved {saved}")
    phone.press("Saved places")
    places = phone.find("Saved places", "dialog")
    office = phone.find("Office", "list item", places)
    phone.press("Delete", office)
    ask = phone.find("Delete “Office”?", "alert")
    phone.press("Delete", ask)
    wait_for(lambda: not ctl.request("location.list")["result"]
             ["locations"], 10, "the engine to delete Office")
    ctl.close()
    wait_for(lambda: not places.findChildren(
        lambda n: n.roleName == "list item" and n.name == "Office",
        isLambda=True), 10, "Office to leave the list")
    phone.press("Close", places)


def scenario_emergency(phone):
    """c. 911 typed and Call pressed: the PSAP's INVITE carries the
    entered address in its PIDF-LO, the banner says so; Hang up ends the
    call and the banner goes."""
    phone.registered()
    enter_address(phone)
    events = UiEvents(phone)
    try:
        phone.type_into("number", "911")
        phone.press("Call")
        banner = phone.banner()
        want = ("Emergency call to 911 — The dispatcher received: "
                + ENGINE_WORDS)
        wait_for(lambda: banner.showing and banner.text == want, 20,
                 f"the emergency banner {want!r} (reads {banner.text!r})")
        check(banner.name == want, f"the banner's name is its text: "
              f"{banner.name!r}")
        events.until(lambda: want in events.announced(), 10,
                     f"the banner announced (saw {events.seen[-5:]})")
    finally:
        events.close()
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-emergency-banner.png"))
    phone.label_is("peer", "Emergency call to 911")
    wait_for(lambda: phone.psap.requests("INVITE"), 20,
             "the PSAP's INVITE")
    ctl = phone.engine.ctl(subscribe=False)
    record = ctl.request("location")["result"]
    ctl.close()
    phone.label_is("call-state", "Connected")
    phone.end_emergency_call()
    wait_for(lambda: not banner.showing, 20, "the banner to go")
    wait_for(lambda: phone.psap.requests("BYE"), 20, "the PSAP's BYE")
    # the INVITE is read whole once a later message is in sipp's trace
    psapcheck.check_by_value(
        phone.psap.requests("INVITE")[0], record,
        request_uri=f"sip:911@127.0.0.1:{phone.psap.port}")


def scenario_emergency_restart(phone):
    """A 911 call is up when the UI is killed; the UI started again shows
    the emergency banner with what the dispatcher received, and the call
    as the emergency call; the banner goes when the call ends."""
    phone.registered()
    enter_address(phone)
    phone.type_into("number", "911")
    phone.press("Call")
    banner = phone.banner()
    want = ("Emergency call to 911 — The dispatcher received: "
            + ENGINE_WORDS)
    wait_for(lambda: banner.showing and banner.text == want, 20,
             f"the emergency banner {want!r} (reads {banner.text!r})")
    phone.label_is("call-state", "Connected", timeout=20)

    phone.ui.proc.kill()
    phone.ui.proc.wait()
    phone.ui.log.close()
    phone.ui = App(phone.engine.socket, phone.wd)
    phone.app = wait_for(phone._app_node, 30, "the new UI on the AT-SPI bus")
    banner = phone.banner()
    wait_for(lambda: banner.showing and banner.text == want, 20,
             f"the banner after the restart {want!r} (reads "
             f"{banner.text!r})")
    phone.label_is("peer", "Emergency call to 911")
    phone.label_is("call-state", "Connected")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-emergency-restarted.png"))
    phone.end_emergency_call()
    wait_for(lambda: not banner.showing, 20, "the banner to go")


def scenario_incall(phone):
    """An ordinary call, then a 911 call: digits typed into the number
    entry and pressed on the keypad during the call reach the far end as
    telephone-events and never place a second call; Mute and Hold act on
    the engine's call; a 911 call has Mute but no Hold."""
    phone.registered()
    phone.type_into("number", "5551234")
    phone.press("Call")
    phone.label_is("call-state", "Connected", timeout=20)
    call = phone.find("Call", "push button")
    wait_for(lambda: not call.sensitive, 10, "Call to be off during a call")

    entry = phone.by_id("number")
    entry.click()
    wait_for(lambda: entry.focused, 10, "focus in Number")
    dogtail.rawinput.typeText("12#")
    dogtail.rawinput.pressKey("Return")
    phone.press("Key 5")
    got = phone.pbx_rtp.events(4, 20)
    check(got == [DTMF_EVENT[d] for d in "12#5"],
          f"the PBX got the keys as telephone-events: {got}")
    check(entry.text == "", f"the digits went to the call: {entry.text!r}")
    check(len(phone.pbx.requests("INVITE")) == 1, "no second call")
    check(len(phone.calls()) == 1, f"one call: {phone.calls()}")

    phone.find("Mute", "toggle button").doActionNamed("click")
    wait_for(lambda: phone.calls()[0]["muted"], 10, "the engine to mute")
    phone.find("Hold", "toggle button").doActionNamed("click")
    wait_for(lambda: phone.calls()[0]["on_hold"], 10, "the call held")
    phone.label_is("call-state", "Connected, on hold")
    phone.find("Hold", "toggle button").doActionNamed("click")
    wait_for(lambda: not phone.calls()[0]["on_hold"], 10, "resumed")
    phone.by_id("call-duration")
    phone.press("Hang up")
    wait_for(lambda: call.sensitive, 10, "Call back on after the call")

    phone.type_into("number", "911")
    phone.press("Call")
    phone.label_is("peer", "Emergency call to 911", timeout=20)
    phone.label_is("call-state", "Connected", timeout=20)
    phone.press("Key 9")
    got = phone.psap_rtp.events(1, 20)
    check(got == [DTMF_EVENT["9"]], f"the PSAP's menu got 9: {got}")
    mute = phone.find("Mute", "toggle button")
    check(mute.showing, "Mute is offered on the 911 call")
    holds = [n for n in phone.app.findChildren(
        dogtail.predicate.GenericPredicate(name="Hold",
                                           roleName="toggle button"))
             if n.showing]
    check(not holds, "no Hold on an emergency call")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-incall-911.png"))
    phone.end_emergency_call()
    wait_for(lambda: not phone.calls(), 20, "the 911 call to end")
    check(len(phone.psap.requests("INVITE")) == 1, "one 911 INVITE")


def scenario_a11y(phone):
    """What a screen reader meets: every showing label's accessible name
    holds its visible text (WCAG 2.5.3), every button has a name, the
    values are labelled by their captions, and the focus starts in the
    number entry, so typed digits land there."""
    phone.registered()
    bad = []
    for node in phone.app.findChildren(
            lambda n: n.showing and n.roleName in (
                "label", "push button", "toggle button", "check box",
                "notification"), isLambda=True):
        if node.roleName in ("label", "notification"):
            if node.text and node.text not in node.name:
                bad.append(f"label {node.text!r} named {node.name!r}")
        elif not node.name:
            bad.append(f"a {node.roleName} without a name")
    check(not bad, f"names without their text: {bad}")

    for ident, caption in (("account", "Account:"),
                           ("registration", "Registration:")):
        node = phone.by_id(ident)
        check(node.labeller is not None and
              node.labeller.text == caption,
              f"{ident} is labelled by {caption!r}: {node.labeller}")
    entry = phone.by_id("number")
    check(entry.labeller is not None and "Number" in entry.labeller.text,
          f"the number entry's label: {entry.labeller}")

    # without a window manager the window under the pointer has the keys;
    # nothing is clicked that takes the focus itself
    phone.by_id("engine-status").click()
    wait_for(lambda: entry.focused, 10, "the focus in the number entry")
    dogtail.rawinput.typeText("5551234")
    wait_for(lambda: entry.text == "5551234", 10,
             f"typed digits in the number entry (holds {entry.text!r})")


def scenario_notify(phone):
    """With the window not in front (the pointer away from it, so it has
    no keyboard), an incoming call sends a desktop notification (Debian's
    notification-daemon receives it) and raises the window."""
    import pyatspi
    notified = phone.desktop.notified
    phone.registered()
    dogtail.rawinput.absoluteMotion(1010, 750)
    window = phone.app.findChildren(lambda n: n.roleName == "frame",
                                    isLambda=True)[0]
    wait_for(lambda: not window.getState().contains(
        pyatspi.STATE_ACTIVE), 10, "the window to lose the keyboard")
    caller = phone.call_from("caller.xml")
    row = caller_row(phone, caller)
    wait_for(lambda: "Incoming call" in notified(), 20,
             f"a notification for the call (saw {notified()})")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-notify.png"))
    phone.press("Decline", row)


def scenario_call(phone):
    """d. An ordinary call is listed with its state; Hang up ends it."""
    phone.registered()
    phone.type_into("number", "5551234")
    phone.press("Call")
    phone.find(f"Call with sip:5551234@127.0.0.1:{phone.pbx.port}",
               "list item")
    phone.label_is("call-state", "Connected", timeout=20)
    check(not phone.psap.requests("INVITE"), "the PSAP was not called")
    phone.press("Hang up")
    calls = phone.find("Calls", "list box")
    wait_for(lambda: calls.childCount == 0, 20, "the call to leave the list")
    wait_for(lambda: phone.pbx.requests("BYE"), 20, "the PBX's BYE")
    # the INVITE is read whole once a later message is in sipp's trace
    psapcheck.check_plain(phone.pbx.requests("INVITE")[0])


def scenario_reconnect(phone):
    """e. The engine stops: the UI says so and lives on; a new engine on
    the same socket: the UI reconnects and shows the account again."""
    phone.registered()
    phone.engine.stop()
    phone.label_is("engine-status", "Engine not running")
    phone.label_is("account", "")
    check(phone.ui.alive(), "the UI survived the engine's exit")
    phone.engine = phone.start_engine()
    phone.registered()
    check(phone.ui.alive(), "the UI is still the same process")


def scenario_prompt(phone):
    """f. location_required disclaimer: the UI asks where the person is;
    Dismiss shows the engine's disclaimer, I understand acknowledges it."""
    phone.registered()
    prompt = phone.find("Location prompt", "alert", timeout=20)
    phone.press("Dismiss", prompt)
    disclaimer = phone.find("Location disclaimer", "alert", timeout=20)
    ctl = phone.engine.ctl(subscribe=False)
    asked = ctl.request("location")["result"]["prompt"]
    check(asked["state"] == "disclaimer", f"prompt {asked}")
    text = asked["disclaimer_text"]
    wait_for(lambda: disclaimer.findChildren(
        lambda n: n.roleName == "label" and n.text == text, isLambda=True),
        10, f"the disclaimer dialog to show {text!r}")
    phone.press("I understand", disclaimer)
    wait_for(lambda: ctl.request("location")["result"]["prompt"]["state"]
             == "acknowledged", 10, "the engine to hear the acknowledgement")
    ctl.close()
    wait_for(lambda: not phone.app.findChildren(
        lambda n: n.roleName == "alert", isLambda=True), 10,
        "the disclaimer to close")


def scenario_prompt_escape(phone):
    """Escape on the prompt is a dismissal the engine hears; the prompt
    kept its explanation with the engine's reason below; Escape on the
    disclaimer acknowledges it."""
    phone.registered()
    prompt = phone.find("Location prompt", "alert", timeout=20)
    ctl = phone.engine.ctl(subscribe=False)
    reason = ctl.request("location")["result"]["prompt"]["reason"]
    want = ("The phone cannot tell where it is. An emergency call sends "
            f"the address you enter to the dispatcher.\n\nWhy: {reason}")
    explained = wait_for(lambda: prompt.findChildren(
        lambda n: n.roleName == "label" and n.text == want, isLambda=True),
        10, f"the prompt to explain {want!r}")
    # without a window manager, keys go to the window under the pointer;
    # with one, the dialog may get the keyboard a moment after it shows
    for attempt in range(3):
        explained[0].click()
        dogtail.rawinput.pressKey("Escape")
        try:
            disclaimer = phone.find("Location disclaimer", "alert",
                                    timeout=6)
            break
        except Failure:
            if attempt == 2:
                raise
    check(ctl.request("location")["result"]["prompt"]["state"] ==
          "disclaimer", "Escape dismissed the prompt in the engine")
    # a window manager may give the new dialog the keyboard a moment
    # after it shows: Escape again until it is heard (at most 3 times)
    for attempt in range(3):
        text = wait_for(lambda: disclaimer.findChildren(
            lambda n: n.roleName == "label" and n.showing, isLambda=True),
            10, "the disclaimer's text")
        text[0].click()
        dogtail.rawinput.pressKey("Escape")
        try:
            wait_for(lambda: ctl.request("location")["result"]["prompt"]
                     ["state"] == "acknowledged", 4,
                     "Escape acknowledged the disclaimer")
            break
        except Failure:
            if attempt == 2:
                raise
    ctl.close()
    wait_for(lambda: not phone.app.findChildren(
        lambda n: n.roleName == "alert", isLambda=True), 10,
        "the disclaimer to close")


def caller_row(phone, caller):
    """The calls list's row of the call from this sipp."""
    return phone.find(f"Call with sip:psap@127.0.0.1:{caller.port}",
                      "list item", timeout=20)


def answer_and_hang_up(phone, caller, row):
    """Answer on the ringing row establishes the call (the engine says so,
    sipp got the 200); Hang up ends it (sipp got the BYE and exits 0)."""
    answer = phone.find("Answer", "push button", row)
    wait_for(lambda: answer.showing, 10, "the Answer button to show")
    phone.label_is_in(row, "call-state", "Incoming call")
    check(not any(m.startswith("SIP/2.0 200") for m in caller.messages()),
          "sipp got no 200 before Answer")
    answer.doActionNamed("click")
    wait_for(lambda: [c for c in phone.calls()
                      if c["state"] == "established"
                      and c["direction"] == "incoming"], 20,
             "the engine to establish the incoming call")
    wait_for(lambda: any(m.startswith("SIP/2.0 200") and "INVITE" in
                         m.split("CSeq:", 1)[-1].split("\n", 1)[0]
                         for m in caller.messages()), 20,
             "sipp to get the 200 for its INVITE")
    phone.label_is_in(row, "call-state", "Connected")
    wait_for(lambda: not answer.showing, 10, "Answer to go once answered")
    phone.press("Hang up", row)
    calls = phone.find("Calls", "list box")
    wait_for(lambda: calls.childCount == 0, 20, "the call to leave the list")
    wait_for(lambda: caller.proc.poll() is not None, 20,
             "sipp to get the BYE and finish")
    check(caller.proc.returncode == 0,
          f"sipp's call went through (exit {caller.proc.returncode})")
    check(not phone.calls(), "the engine has no call left")


def scenario_incoming(phone):
    """g. A call comes in: the UI lists it ringing with Answer; Answer
    through AT-SPI establishes it; Hang up ends it."""
    phone.registered()
    caller = phone.call_from(os.path.join(UI_SCENARIOS, "answered.xml"))
    row = caller_row(phone, caller)
    wait_for(lambda: [c for c in phone.calls()
                      if c["state"] == "incoming"], 10,
             "the engine to list the call ringing")
    mark = phone.by_id("psap-callback", row)
    check(not mark.showing, "no emergency call: no callback mark")
    answer_and_hang_up(phone, caller, row)


def tick_dnd(phone, on):
    """The person (un)ticks Do not disturb; the engine follows."""
    box = phone.find("Do not disturb", "check box")
    check(box.checked != on, f"Do not disturb already {on}")
    box.doActionNamed("click")
    wait_for(lambda: phone.status().get("dnd") is on, 10,
             f"the engine's dnd to be {on}")
    wait_for(lambda: box.checked == on, 10, f"the box to stay {on}")


def scenario_dnd(phone):
    """h. Do not disturb ticked: the engine turns a call away (486) and
    the UI never lists it; unticked: off in the engine, and a call is
    listed again."""
    phone.registered()
    check(phone.status().get("dnd") is False, "dnd starts off")
    events = UiEvents(phone)
    try:
        tick_dnd(phone, True)
        # the listener is in force: the UI sent the tick's event
        events.until(lambda: events.ticked("Do not disturb"), 10,
                     "the UI's event for the ticked box")
        start = len(events.seen)
        caller = phone.call_from("caller_rejected.xml")
        wait_for(lambda: caller.proc.poll() is not None, 20,
                 "the caller to get its 486")
        check(caller.proc.returncode == 0, "the caller saw 486 Busy Here")
        check(any(m.startswith("SIP/2.0 486") for m in caller.messages()),
              "sipp received 486 Busy Here")
        check(not phone.calls(), "the engine has no call")
        mark = len(events.seen)
        tick_dnd(phone, False)
        # everything the UI sent before the untick's event has been read
        events.until(lambda: events.ticked("Do not disturb", mark), 10,
                     "the UI's event for the unticked box")
        built = events.rows_built(start)
        check(not built, f"the UI listed the turned-away call: {built}")
        calls = phone.find("Calls", "list box")
        check(calls.childCount == 0, "the calls list is empty")

        # without do not disturb a call is listed, and the recorder sees
        # its row built: the check above could have seen one
        mark = len(events.seen)
        caller = phone.call_from("caller.xml")
        row = caller_row(phone, caller)
        events.until(lambda: events.rows_built(mark), 10,
                     f"the event of a row built (saw {events.seen})")
        # a call ringing in is declined, not hung up
        phone.press("Decline", row)
        wait_for(lambda: calls.childCount == 0, 20,
                 "the call to leave the list")
    finally:
        events.close()


def scenario_callback(phone):
    """i. After an emergency call, with Do not disturb ticked, a call
    inside the callback window rings through, marked as a possible PSAP
    callback; Answer works."""
    phone.registered()
    enter_address(phone)
    phone.type_into("number", "911")
    phone.press("Call")
    banner = phone.banner()
    wait_for(lambda: banner.showing, 20, "the emergency banner")
    phone.label_is("call-state", "Connected", timeout=20)
    phone.end_emergency_call()
    wait_for(lambda: not banner.showing, 20, "the banner to go")
    wait_for(lambda: phone.psap.requests("BYE"), 20, "the PSAP's BYE")
    tick_dnd(phone, True)
    caller = phone.call_from(os.path.join(UI_SCENARIOS, "answered.xml"))
    row = caller_row(phone, caller)
    mark = phone.by_id("psap-callback", row)
    wait_for(lambda: mark.showing, 10, "the possible-callback mark")
    check(mark.text == "Possible callback from the emergency service",
          f"the mark reads {mark.text!r}")
    others = [n for n in phone.find("Calls", "list box").children
              if n.name != row.name]
    check(not others, f"only the callback is listed: {others}")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-callback-ringing.png"))
    answer_and_hang_up(phone, caller, row)
    tick_dnd(phone, False)


def scenario_places_use(phone):
    """j. Two places saved under two names; Use on the first makes it the
    engine's location, and the panel shows it."""
    phone.registered()
    enter_address(phone, save_as="Office")
    phone.label_is("location", ADDRESS_WORDS)
    enter_address(phone, save_as="Home", address=HOME)
    phone.label_is("location", HOME_WORDS)
    ctl = phone.engine.ctl(subscribe=False)
    try:
        listed = ctl.request("location.list")["result"]
        check(sorted(p["name"] for p in listed["locations"]) ==
              ["Home", "Office"] and listed["in_use"] == "Home",
              f"the engine saved {listed}")
        phone.press("Saved places")
        places = phone.find("Saved places", "dialog")
        office = phone.find("Office", "list item", places)
        phone.press("Use", office)
        wait_for(lambda: ctl.request("location.list")["result"]
                 ["in_use"] == "Office", 10, "the engine to use Office")
        loc = ctl.request("location")["result"]
        want = ADDRESS_CIVIC
        check(loc["civic"] == want and loc["source"] == "manual",
              f"the engine's location {loc['source']} {loc['civic']}")
    finally:
        ctl.close()
    phone.label_is("location", ADDRESS_WORDS)
    phone.label_is("location-source",
                   "Entered by you — not verified by the network")
    phone.press("Close", places)


def scenario_emergency_audio(phone):
    """j. No microphone or speaker can be opened: the 911 call still goes
    up, and the banner says under its first line that neither side can
    hear the other; it goes with the call."""
    phone.registered()
    enter_address(phone)
    phone.type_into("number", "911")
    phone.press("Call")
    banner = phone.banner()
    want = ("\nthe dispatcher cannot hear you and you cannot hear the "
            "dispatcher: no microphone, no speaker")
    first = ("Emergency call to 911 — The dispatcher received: "
             + ENGINE_WORDS)
    wait_for(lambda: banner.showing and banner.text == first + want, 20,
             f"the banner to end with {want!r} (reads {banner.text!r})")
    phone.label_is("call-state", "Connected")
    check(banner.showing and banner.text == first + want,
          f"with the call up the banner reads {banner.text!r}")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-emergency-audio.png"))
    phone.end_emergency_call()
    wait_for(lambda: not banner.showing, 20, "the banner to go")


def scenario_e911_warning(phone):
    """k. No emergency route (the administrator's policy has none): the
    window shows the engine's e911.policy warning that 911 has no path
    but the registrar, under the engine's status; it goes with the
    engine, and a new engine with a route brings none back."""
    phone.registered()
    warns = phone.result("e911.policy")["warnings"]
    check(any(w.startswith("emergency_route: not set") for w in warns),
          f"the engine warns: {warns}")
    want = "\n".join("911 warning: " + w for w in warns)
    phone.label_is("e911-warning", want)
    label = phone.by_id("e911-warning")
    check(label.showing, "the warning is shown")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-e911-warning-shown.png"))
    phone.engine.stop()
    phone.label_is("engine-status", "Engine not running")
    wait_for(lambda: not label.showing, 10, "the warning to go")
    with open(os.path.join(phone.wd, "policy.conf"), "w") as f:
        f.write(f"emergency_route sip:911@127.0.0.1:{phone.psap.port}\n")
    phone.engine = phone.start_engine()
    phone.registered()
    check(phone.result("e911.policy")["warnings"] == [],
          "the engine with a route warns of nothing")
    # the UI asks e911.policy as it connects; by now (the account shown)
    # nothing stale may be back on the window
    check(not label.showing, "no warning with a route")


def engine_civic(phone):
    return phone.result("location")


def focused_field(dialog):
    got = [n for n in form_fields(dialog) if n.focused]
    return got[0].name if got else None


def keyboard_fill(phone, dialog, steps):
    """Keyboard only: steps are (field, text) in the form's Tab order,
    the focus starting in the first; each text is typed, Tab goes on to
    the next field (checked), Enter after the last presses OK."""
    # without a window manager, keys go to the window under the pointer:
    # the pointer is put on the form's explanation, not on a field
    explained = wait_for(lambda: dialog.findChildren(
        lambda n: n.roleName == "label" and n.showing and
        (n.text or "").startswith(("Where are you?", "The address saved")),
        isLambda=True), 10, "the form's explanation")
    explained[0].click()
    for i, (field, text) in enumerate(steps):
        wait_for(lambda: focused_field(dialog) == field, 10,
                 f"the focus in {field} (is in {focused_field(dialog)})")
        if text:
            dogtail.rawinput.typeText(text)
            entry = phone.find(field, "text", dialog)
            wait_for(lambda: entry.text == text, 10,
                     f"{field} to hold {text!r} (holds {entry.text!r})")
        if i + 1 < len(steps):
            dogtail.rawinput.pressKey("Tab")
    dogtail.rawinput.pressKey("Return")


def no_element_names(dialog):
    """No RFC 5139 element name in what the form shows or says."""
    for n in dialog.findChildren(lambda n: True, isLambda=True):
        for what in (n.name, n.description,
                     n.text if n.roleName == "label" else ""):
            check(not ELEMENT_NAMES.search(what or ""),
                  f"an element name in the form: {n.roleName} {what!r}")


def open_form(phone, title="Set address"):
    phone.press("Set address…")
    dialog = phone.find(title, "dialog")
    return dialog


def form_closed(phone, title="Set address"):
    wait_for(lambda: phone.app.findChild(
        dogtail.predicate.GenericPredicate(name=title, roleName="dialog"),
        retry=False, requireResult=False) is None, 15,
        f"the {title} dialog to close once the engine took the address")


def scenario_address_us(phone):
    """A US address by keyboard only, in the US order (number, street,
    apartment, ..., city, state from a list, ZIP code): the engine's
    location is what was typed, the state stored as its code and the
    street's suffix apart; no element name anywhere in the form."""
    phone.registered()
    dialog = open_form(phone)
    keyboard_fill(phone, dialog, [
        ("Country", "United States"), ("Street number", "1"),
        ("Street", "Microsoft Way"), ("Apartment/Suite", "Suite 300"),
        ("Floor", "3"), ("Room", ""), ("Additional information", ""),
        ("City", "Redmond"), ("State", "Washington"),
        ("ZIP code", "98052")])
    form_closed(phone)
    loc = engine_civic(phone)
    want = {"country": "US", "HNO": "1", "RD": "Microsoft", "STS": "Way",
            "UNIT": "Suite 300", "FLR": "3", "A3": "Redmond", "A1": "WA",
            "PC": "98052"}
    check(loc["civic"] == want and loc["source"] == "manual",
          f"the engine's location {loc['source']} {loc['civic']}")
    dialog = open_form(phone)
    no_element_names(dialog)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-address-us-form.png"))
    phone.press("Cancel", dialog)


def scenario_address_de(phone):
    """A German address by keyboard only: street before house number,
    postcode before city, the state from a list; the country typed as
    its code is shown by its name."""
    phone.registered()
    dialog = open_form(phone)
    keyboard_fill(phone, dialog, [
        ("Country", "de"), ("Street", "Unter den Linden"),
        ("House number", "77"), ("Floor", "2"), ("Room", ""),
        ("Additional information", "Hinterhaus"), ("Postcode", "10117"),
        ("City", "Berlin"), ("State", "Berlin")])
    form_closed(phone)
    loc = engine_civic(phone)
    want = {"country": "DE", "RD": "Unter den Linden", "HNO": "77",
            "FLR": "2", "LOC": "Hinterhaus", "PC": "10117", "A3": "Berlin",
            "A1": "Berlin"}
    check(loc["civic"] == want and loc["source"] == "manual",
          f"the engine's location {loc['source']} {loc['civic']}")
    dialog = open_form(phone)
    country = phone.find("Country", "text", dialog)
    wait_for(lambda: country.text == "Germany", 10,
             f"the country shown by its name (reads {country.text!r})")
    no_element_names(dialog)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-address-de-form.png"))
    phone.press("Cancel", dialog)


def scenario_address_error(phone):
    """Street number and city left out: the engine refuses; each problem
    is said in words under its field and in the field's accessible
    description, the focus goes to the first; nothing was set."""
    phone.registered()
    dialog = open_form(phone)
    for field, value in (("Country", "United States"),
                         ("Street", "Microsoft Way"), ("State", "WA"),
                         ("ZIP code", "98052")):
        retype(phone, phone.find(field, "text", dialog),
               "Washington" if field == "State" else value)
    phone.press("OK", dialog)
    for field in ("Street number", "City"):
        want = f"{field} is required."
        entry = phone.find(field, "text", dialog)
        wait_for(lambda: entry.description == want, 15,
                 f"{field}'s description {want!r} (is "
                 f"{entry.description!r})")
        shown = [n for n in dialog.findChildren(
            lambda n: n.roleName == "label" and n.text == want and
            n.showing, isLambda=True)]
        check(len(shown) == 1, f"{want!r} shown once: {shown}")
    wait_for(lambda: focused_field(dialog) == "Street number", 10,
             f"the focus in Street number (is in {focused_field(dialog)})")
    no_element_names(dialog)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-address-error-shown.png"))
    check(engine_civic(phone)["source"] == "none", "nothing was set")
    # typing the city clears its error; OK with the number takes it
    retype(phone, phone.find("City", "text", dialog), "Redmond")
    wait_for(lambda: phone.find("City", "text", dialog).description == "",
             10, "the city's error to go once typed")
    retype(phone, phone.find("Street number", "text", dialog), "1")
    phone.press("OK", dialog)
    form_closed(phone)
    check(engine_civic(phone)["civic"]["A3"] == "Redmond", "set")


def scenario_address_prefill(phone):
    """Set address… again shows the address in use, in its country's
    form; one field changed, the rest goes back to the engine as it
    was."""
    phone.registered()
    enter_address(phone)
    dialog = open_form(phone)
    for field, value in ADDRESS.items():
        entry = phone.find(field, "text", dialog)
        wait_for(lambda: entry.text == value, 10,
                 f"{field} filled with {value!r} (holds {entry.text!r})")
    wait_for(lambda: focused_field(dialog) == "Street number", 10,
             "the focus in the first field")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-address-prefill.png"))
    retype(phone, phone.find("Floor", "text", dialog), "4")
    dogtail.rawinput.pressKey("Return")
    form_closed(phone)
    loc = engine_civic(phone)
    check(loc["civic"] == dict(ADDRESS_CIVIC, FLR="4"),
          f"the engine's civic {loc['civic']}")


def places_list(phone):
    ctl = phone.engine.ctl(subscribe=False)
    try:
        return ctl.request("location.list")["result"]["locations"]
    finally:
        ctl.close()


def scenario_places_edit(phone):
    """Edit on a saved place opens the form filled with it; a room and
    the name changed: the engine has it under the new name only; Rename
    renames it again, its address unchanged."""
    phone.registered()
    enter_address(phone, save_as="Office")
    phone.press("Saved places")
    places = phone.find("Saved places", "dialog")
    phone.press("Edit", phone.find("Office", "list item", places))
    form = phone.find("Edit place", "dialog")
    for field, value in ADDRESS.items():
        entry = phone.find(field, "text", form)
        wait_for(lambda: entry.text == value, 10,
                 f"{field} filled with {value!r} (holds {entry.text!r})")
    check(phone.find("Save as", "text", form).text == "Office",
          "the form has the place's name")
    retype(phone, phone.find("Room", "text", form), "101")
    retype(phone, phone.find("Save as", "text", form), "HQ")
    phone.press("OK", form)
    form_closed(phone, "Edit place")
    want = dict(ADDRESS_CIVIC, ROOM="101")
    wait_for(lambda: [(p["name"], p["civic"]) for p in places_list(phone)]
             == [("HQ", want)], 10,
             f"the engine to hold HQ only (holds {places_list(phone)})")
    hq = phone.find("HQ", "list item", places)

    phone.press("Rename", hq)
    ask = phone.find("Rename “HQ”", "dialog")
    retype(phone, phone.find("New name", "text", ask), "Main office")
    dogtail.rawinput.pressKey("Return")
    wait_for(lambda: [(p["name"], p["civic"]) for p in places_list(phone)]
             == [("Main office", want)], 10,
             f"the engine to hold Main office (holds {places_list(phone)})")
    phone.find("Main office", "list item", places)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-places-renamed.png"))
    check(engine_civic(phone)["civic"] == want, "in use as edited")
    phone.press("Close", places)


def scenario_places_delete(phone):
    """Delete asks first: Cancel keeps the place, Delete deletes it."""
    phone.registered()
    enter_address(phone, save_as="Office")
    phone.press("Saved places")
    places = phone.find("Saved places", "dialog")
    phone.press("Delete", phone.find("Office", "list item", places))
    ask = phone.find("Delete “Office”?", "alert")
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", "ui-places-delete-asks.png"))
    phone.press("Cancel", ask)
    wait_for(lambda: not ask.showing or ask.dead, 10, "the question to go")
    check([p["name"] for p in places_list(phone)] == ["Office"],
          "Cancel kept Office")
    phone.press("Delete", phone.find("Office", "list item", places))
    ask = phone.find("Delete “Office”?", "alert")
    phone.press("Delete", ask)
    wait_for(lambda: not places_list(phone), 10, "the engine to delete it")
    phone.press("Close", places)


PO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      "..", "ui", "po")


def po_messages(lang):
    """(msgid, msgstr) of each message of ui/po/LANG.po (plural forms:
    each msgid with its first msgstr)."""
    text = open(os.path.join(PO_DIR, f"{lang}.po"), encoding="utf-8").read()
    lit = r'"(?:[^"\\]|\\.)*"'

    def value(block):
        return "".join(bytes(m[1:-1], "utf-8").decode("unicode_escape")
                       .encode("latin-1").decode("utf-8")
                       for m in re.findall(lit, block))
    out = []
    for entry in text.split("\n\n"):
        ids = re.findall(r'^msgid(?:_plural)? ((?:".*"\n?)+)', entry, re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', entry, re.M)
        if ids and strs:
            for i in ids:
                if value(i):
                    out.append((value(i), value(strs[0])))
    return out


# English words a French text never has: a string nobody marked for
# translation shows itself by them
ENGLISH_WORDS = re.compile(
    r"\b(the|you|your|and|not|with|from|is|are|this|that|of|to|yes|"
    r"here|there|what|where|when|call|calls|running|saved|number)\b",
    re.I)


def english_phrases(lang):
    """The English phrases of our catalogue the translation does not keep
    (mnemonics and printf directives out): none may show translated."""
    phrases = set()
    for msgid, msgstr in po_messages(lang):
        plain = re.sub(r"_(?=\w)", "", msgid)
        for frag in re.split(r"%[-0-9.]*l*[a-zA-Z]|[\n:;,()…?.“”—#]",
                             plain):
            frag = " ".join(frag.split())
            if len(frag) >= 4 and frag.lower() not in msgstr.lower():
                phrases.add(frag)
    return phrases


def english_left(root, phrases, data=()):
    """What the showing nodes below root say in English: their names,
    descriptions and label texts, with data (what the engine or the
    person wrote: addresses, its reasons) taken out first."""
    found = []
    for node in [root] + root.findChildren(lambda n: n.showing,
                                           isLambda=True):
        texts = [node.name, node.description]
        if node.roleName in ("label", "notification"):
            texts.append(node.text)
        for text in texts:
            text = text or ""
            for d in data:
                if d:
                    text = text.replace(d, "")
            hits = [p for p in phrases
                    if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)",
                                 text, re.I)]
            words = ENGLISH_WORDS.findall(text)
            if hits or words:
                found.append(f"{node.roleName} {text!r}: "
                             f"{sorted(hits) + words}")
    return found


def scenario_l10n(phone):
    """The UI in French (LC_ALL=fr_FR.UTF-8, its catalogue from the build
    tree): the prompt, the disclaimer, the main window idle and in a call,
    the 911 banner and its question, the address form, saved places and
    their dialogs show no English word of ours (the engine's own texts,
    the address and the account are data)."""
    phrases = english_phrases("fr")
    check(len(phrases) > 150, f"English phrases of the catalogue: "
          f"{len(phrases)}")
    shots = os.path.join(BUILD, "meson-logs")

    def french(root, what, data=()):
        left = english_left(root, phrases, data)
        check(not left, f"English in {what}: {left}")

    prompt = phone.find("Demande de localisation", "alert", timeout=20)
    asked = phone.result("location")["prompt"]
    french(prompt, "the prompt", [asked.get("reason")])
    phone.desktop.screenshot(os.path.join(shots, "ui-l10n-prompt.png"))
    phone.press("Ignorer", prompt)
    disclaimer = phone.find("Avertissement sur la localisation", "alert",
                            timeout=20)
    text = phone.result("location")["prompt"]["disclaimer_text"]
    french(disclaimer, "the disclaimer", [text])
    phone.press("J'ai compris", disclaimer)
    wait_for(lambda: not phone.app.findChildren(
        lambda n: n.roleName == "alert", isLambda=True), 10,
        "the disclaimer to close")

    phone.label_is("engine-status", "Moteur en marche")
    phone.label_is("registration", "enregistré")
    ctl = phone.engine.ctl(subscribe=False)
    try:
        for cmd, args in (("location.set", {
                "country": "FR", "HNO": "5", "RD": "rue de la Paix",
                "FLR": "3", "PC": "75002", "A3": "Paris",
                "A1": "Île-de-France"}),
                ("location.save", {"name": "Bureau"})):
            reply = ctl.request(cmd, args)
            check(reply.get("ok"), f"{cmd}: {reply}")
    finally:
        ctl.close()
    phone.label_is("location-source",
                   "Saisie par vous — non vérifiée par le réseau")
    words = phone.by_id("location").text
    check("Étage 3" in words, f"the floor in words: {words!r}")
    expander = phone.find("Détails du réseau", "toggle button")
    expander.doActionNamed("activate")
    wait_for(lambda: phone.by_id("network-details").showing, 10,
             "the network details shown")
    # the engine's reason is its own text, in English (PROTOCOL.md)
    reason = phone.result("location").get("reason")
    # so is why the LIS credentials are not used; its frame is ours
    auth = phone.result("netinfo")["lis"]["auth_error"]
    check(auth and "/nonexistent/locphone-ui-l10n.cred" in auth,
          f"the credentials refused in netinfo: {auth!r}")
    wait_for(lambda: "Identifiants du serveur de localisation non "
             f"utilisés : {auth}" in phone.by_id("network-details").text,
             10, "the refused credentials in the network details (read "
             f"{phone.by_id('network-details').text!r})")
    french(phone.app, "the main window", [phone.aor, words, reason, auth])
    phone.desktop.screenshot(os.path.join(shots, "ui-l10n-main.png"))

    phone.type_into("number", "5551234")
    phone.press("Appeler")
    phone.label_is("call-state", "Connecté", timeout=20)
    french(phone.app, "the window in a call",
           [phone.aor, words, reason, auth])
    phone.press("Raccrocher")
    wait_for(lambda: not phone.calls(), 20, "the call to end")

    phone.type_into("number", "911")
    phone.press("Appeler")
    banner = phone.banner()
    phone.label_is("call-state", "Connecté", timeout=20)
    em = phone.calls()[0]["emergency"]
    wait_for(lambda: banner.showing and em["location_summary"] in
             banner.text, 20, f"the banner (reads {banner.text!r})")
    french(phone.app, "the window in a 911 call",
           [phone.aor, words, reason, auth, em["location_summary"]])
    phone.desktop.screenshot(os.path.join(shots, "ui-l10n-911.png"))
    phone.press("Raccrocher")
    ask = phone.find("Terminer l'appel d'urgence ?", "alert")
    french(ask, "the question before hanging up")
    phone.press("Terminer l'appel", ask)
    wait_for(lambda: not phone.calls(), 20, "the 911 call to end")

    phone.press("Indiquer l'adresse…")
    form = phone.find("Indiquer l'adresse", "dialog")
    country = phone.find("Pays", "text", form)
    # the locale's country comes first, the engine's address after
    street = phone.find("Rue", "text", form)
    wait_for(lambda: form.sensitive and country.text == "France" and
             street.text == "rue de la Paix", 10,
             f"the form filled (country {country.text!r})")
    french(form, "the address form",
           [words, "rue de la Paix", "Paris", "Île-de-France"])
    # iso-codes' names: Germany is typed as French people write it
    retype(phone, country, "Allemagne")
    # France has regions, Germany states (Länder)
    wait_for(lambda: {n.name for n in form_fields(form)} >=
             {"Rue", "Numéro", "État"}, 10, "the German form")
    french(form, "the German address form",
           ["rue de la Paix", "Paris", "Allemagne"])
    phone.desktop.screenshot(os.path.join(shots, "ui-l10n-form.png"))
    phone.press("Annuler", form)

    phone.press("Lieux enregistrés")
    places = phone.find("Lieux enregistrés", "dialog")
    row = phone.find("Bureau", "list item", places)
    french(places, "saved places", [words])
    phone.press("Supprimer", row)
    ask = phone.find("Supprimer « Bureau » ?", "alert")
    french(ask, "the question before deleting")
    phone.press("Annuler", ask)
    wait_for(lambda: not ask.showing or ask.dead, 10, "the question to go")
    phone.press("Renommer", row)
    ask = phone.find("Renommer « Bureau »", "dialog")
    french(ask, "the rename dialog", ["Bureau"])
    phone.press("Annuler", ask)
    wait_for(lambda: not ask.showing or ask.dead, 10, "the dialog to go")
    phone.press("Modifier", row)
    form = phone.find("Modifier le lieu", "dialog")
    wait_for(lambda: phone.find("Rue", "text", form).text ==
             "rue de la Paix", 10, "the place's form filled")
    french(form, "the place's form", ["Bureau", "rue de la Paix", "Paris"])
    phone.press("Annuler", form)
    phone.press("Fermer", places)


def box(node):
    """A node's extents on the screen: x, y, width, height."""
    import pyatspi
    e = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.x, e.y, e.width, e.height


def inside(inner, outer, slack=1):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return (x >= ox - slack and y >= oy - slack and
            x + w <= ox + ow + slack and y + h <= oy + oh + slack)


def screen_box(scale):
    """The X screen in the UI's units (GDK_SCALE pixels): the AT-SPI
    desktop's own extents do not follow the display."""
    out = subprocess.run(["xdpyinfo"], capture_output=True, text=True,
                         timeout=30).stdout
    w, h = re.search(r"dimensions:\s+(\d+)x(\d+) pixels", out).groups()
    return 0, 0, int(w) // scale, int(h) // scale


def clipped(window, scale=1):
    """What is cut off in window: a showing widget outside the window or
    its parent, a window outside the screen, or a label whose text runs
    past its own box (its first or last character not inside it).  What
    is inside a scroll pane need only be inside the pane's content (it
    is scrolled to), the pane inside the window."""
    import pyatspi
    found = []
    screen = screen_box(scale)
    wbox = box(window)
    if not inside(wbox, screen):
        found.append(f"the window {wbox} is not inside the screen {screen}")
    for node in window.findChildren(lambda n: n.showing and n.roleName in (
            "label", "push button", "toggle button", "check box", "text",
            "notification", "list item"), isLambda=True):
        nbox = box(node)
        what = f"{node.roleName} {node.name!r} {nbox}"
        scrolled = False
        up = node.parent
        while up is not None and up.roleName not in ("frame", "dialog",
                                                      "alert"):
            scrolled = scrolled or up.roleName in ("scroll pane",
                                                   "viewport")
            up = up.parent
        if not scrolled and not inside(nbox, wbox):
            found.append(f"{what} outside the window {wbox}")
            continue
        parent = node.parent
        if parent is not None and parent.roleName not in ("filler",) \
                and not inside(nbox, box(parent)):
            found.append(f"{what} outside its {parent.roleName} "
                         f"{box(parent)}")
        if node.roleName in ("label", "notification") and node.text:
            text = node.queryText()
            n = text.characterCount
            for i in (0, n - 1):
                if text.getText(i, i + 1).isspace():
                    continue
                c = text.getCharacterExtents(i, pyatspi.DESKTOP_COORDS)
                if c[2] and not inside(c, nbox):
                    found.append(f"{what}: character {i} at {c} is cut")
    return found


def scenario_text2(phone):
    """Text at 200 % (GDK_DPI_SCALE=2 on a 1024x768 screen: WCAG 1.4.4):
    the same checks as at scale 2, the widgets at their own size."""
    scenario_scale2(phone, scale=1)


def scenario_scale2(phone, scale=2):
    """Readable at 200 % (GDK_SCALE=2 on a 1920x1080 laptop screen, 960x540
    in the UI's units): nothing of
    the main window is cut, idle, with the network details open, and with
    a 911 call, its banner and its row; nor of the address form."""
    # the pointer is not used: at scale 2 dogtail's clicks would miss
    phone.registered()
    ctl = phone.engine.ctl(subscribe=False)
    try:
        reply = ctl.request("location.set", {
            "country": "US", "HNO": "1", "RD": "Microsoft", "STS": "Way",
            "FLR": "3", "ROOM": "3.141", "A3": "Redmond", "A1": "WA",
            "PC": "98052"})
        check(reply.get("ok"), f"location.set: {reply}")
    finally:
        ctl.close()
    phone.label_is("location", ADDRESS_WORDS)
    frame = phone.app.findChildren(lambda n: n.roleName == "frame",
                                   isLambda=True)[0]
    import pyatspi
    expander = phone.find("Network details", "toggle button")
    expander.doActionNamed("activate")
    wait_for(lambda: expander.getState().contains(pyatspi.STATE_EXPANDED),
             10, "the network details open")
    cut = clipped(frame, scale)
    check(not cut, f"cut at 200 %: {cut}")
    ctl = phone.engine.ctl(subscribe=False)
    try:
        reply = ctl.request("dial", {"number": "911"})
        check(reply.get("ok"), f"dial 911: {reply}")
    finally:
        ctl.close()
    banner = phone.banner()
    wait_for(lambda: banner.showing and "received" in banner.text, 20,
             "the emergency banner")
    phone.label_is("call-state", "Connected", timeout=20)
    cut = clipped(frame, scale)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", f"ui-{'scale2' if scale == 2 else 'text2'}"
        "-911.png"))
    check(not cut, f"cut at 200 % in a 911 call: {cut}")
    phone.end_emergency_call()
    wait_for(lambda: not banner.showing, 20, "the banner to go")
    dialog = open_form(phone)
    wait_for(lambda: dialog.sensitive, 10, "the form filled")
    cut = clipped(dialog, scale)
    phone.desktop.screenshot(os.path.join(
        BUILD, "meson-logs", f"ui-{'scale2' if scale == 2 else 'text2'}"
        "-form.png"))
    check(not cut, f"the address form cut at 200 %: {cut}")
    phone.press("Cancel", dialog)


SCENARIOS = {
    "e911-warning": scenario_e911_warning,
    "scale2": scenario_scale2,
    "text2": scenario_text2,
    "l10n": scenario_l10n,
    "emergency-audio": scenario_emergency_audio,
    "account": scenario_account,
    "address": scenario_address,
    "emergency": scenario_emergency,
    "emergency-restart": scenario_emergency_restart,
    "incall": scenario_incall,
    "a11y": scenario_a11y,
    "notify": scenario_notify,
    "call": scenario_call,
    "reconnect": scenario_reconnect,
    "prompt": scenario_prompt,
    "prompt-escape": scenario_prompt_escape,
    "incoming": scenario_incoming,
    "dnd": scenario_dnd,
    "callback": scenario_callback,
    "places-use": scenario_places_use,
    "address-us": scenario_address_us,
    "address-de": scenario_address_de,
    "address-error": scenario_address_error,
    "address-prefill": scenario_address_prefill,
    "places-edit": scenario_places_edit,
    "places-delete": scenario_places_delete,
}

# The administrator's policy file of a scenario, instead of the one with
# the PSAP as emergency route.
SCENARIO_POLICY = {"e911-warning": ""}

# Settings a scenario needs in the engine's locphone.conf.
SCENARIO_CONF = {
    "prompt": "location_required disclaimer\n",
    # ALSA devices that exist nowhere, sound card or not
    "emergency-audio": "audio_player alsa,hw:99\naudio_source alsa,hw:99\n",
    "prompt-escape": "location_required disclaimer\n",
    # a credentials file that is not there: netinfo's lis.auth_error
    "l10n": "location_required disclaimer\n"
            "lis_credentials /nonexistent/locphone-ui-l10n.cred\n",
}
# What a scenario adds to the UI's environment.
SCENARIO_ENV = {"scale2": {"GDK_SCALE": "2"},
                "text2": {"GDK_DPI_SCALE": "2"}}
# A scenario's screen, when not 1024x768.
SCENARIO_SCREEN = {"scale2": "1920x1080x24"}
# The locale a scenario runs the UI in.
SCENARIO_LOCALE = {"l10n": "fr_FR.UTF-8"}


def main():
    global dogtail
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    wm = sys.argv[2:] == ["--wm"]
    if name not in SCENARIOS or sys.argv[2:] not in ([], ["--wm"]):
        print(f"usage: test_ui.py {'|'.join(SCENARIOS)} [--wm]")
        return 64
    need("sipp")
    need_desktop()
    desktop = Desktop(SCENARIO_SCREEN.get(name, "1024x768x24"))
    try:
        if wm:
            desktop.window_manager()
        if name == "notify":
            desktop.notified = desktop.notifications()
        import dogtail.config
        dogtail.config.config.logDebugToFile = False
        dogtail.config.config.logDebugToStdOut = False
        # dogtail's own pauses: the tests wait for conditions instead
        dogtail.config.config.actionDelay = 0
        dogtail.config.config.defaultDelay = 0
        dogtail.config.config.typingDelay = 0.01
        import dogtail.predicate
        import dogtail.rawinput
        import dogtail.tree
        with Workdir() as wd:
            ui_env = (desktop.locale(SCENARIO_LOCALE[name])
                      if name in SCENARIO_LOCALE else {})
            ui_env.update(SCENARIO_ENV.get(name, {}))
            phone = Phone(wd, desktop, SCENARIO_CONF.get(name, ""),
                          SCENARIO_POLICY.get(name), ui_env)
            try:
                SCENARIOS[name](phone)
            finally:
                phone.close(name)
        print(f"ok - ui {name}")
        return 0
    except Failure as e:
        print(f"FAIL - ui {name}: {e}")
        return 1
    except Exception:  # a bug of the test itself: say where
        traceback.print_exc(file=sys.stdout)
        print(f"FAIL - ui {name}: the test raised")
        return 1
    finally:
        desktop.close()


if __name__ == "__main__":
    sys.exit(main())
