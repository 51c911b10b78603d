"""What the Python tests say to a running Ruche over the WebSocket, shared by
tls.py and reverse_proxy.py (Debian's python3-websockets). Every wait is
bounded."""
import asyncio
import json
import sys


def fail(test, message):
    sys.exit(f"{test}: {message}")


async def receive(ws, accept, timeout=10):
    """The first message `accept` returns true for, within `timeout` seconds."""
    async def loop():
        while True:
            message = json.loads(await ws.recv())
            if accept(message):
                return message
    return await asyncio.wait_for(loop(), timeout)


async def join(facilitator, participant, session, name="Josiane"):
    """The facilitator and a participant say hello and get their welcome."""
    await facilitator.send(json.dumps({"type": "hello", "facilitator_token": session["facilitator_token"]}))
    await receive(facilitator, lambda m: m["type"] == "welcome")
    await participant.send(json.dumps({"type": "hello", "join_code": session["join_code"],
                                       "name": name, "profile": "habitant"}))
    await receive(participant, lambda m: m["type"] == "welcome")


async def note(test, participant, facilitator, op_id, text):
    """The participant's note is acknowledged, and reaches the facilitator
    with the acknowledged seq."""
    await participant.send(json.dumps({"type": "op", "op_id": op_id,
                                       "op": {"kind": "note.add", "text": text, "color": "yellow"}}))
    ack = await receive(participant, lambda m: m["type"] in ("ack", "error"))
    if ack["type"] != "ack":
        fail(test, f"the note was refused: {ack}")
    event = await receive(facilitator, lambda m: m["type"] == "event" and m["op"]["kind"] == "note.add")
    if event["op"]["text"] != text or event["seq"] != ack["seq"]:
        fail(test, f"the facilitator got another note: {event}")
