#!/usr/bin/python3
"""peer_sse.py PORT: the seed's stack for bench/sse.sh: a minimal SSE endpoint
on FastAPI and uvicorn. GET /events streams; POST /publish broadcasts the
body as one event to every stream."""
import asyncio
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

app = FastAPI()
queues = set()


@app.get("/events")
async def events(request: Request):
    q = asyncio.Queue()
    queues.add(q)

    async def gen():
        try:
            yield "retry: 3000\n\n"
            while True:
                yield await q.get()
        finally:
            queues.discard(q)

    return StreamingResponse(gen(), media_type="text/event-stream")


@app.post("/publish")
async def publish(request: Request):
    body = (await request.body()).decode()
    frame = "event: status_update\ndata: %s\n\n" % body
    for q in list(queues):
        q.put_nowait(frame)
    return {"clients": len(queues)}


@app.get("/health")
async def health():
    return {"status": "ok"}


uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", backlog=16384)
