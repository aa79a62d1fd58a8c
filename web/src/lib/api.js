// The read side: the platform API (indexer) over HTTP, and its live event feed over WebSocket.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Base URL of the API: the page's own origin unless `?api=` or <meta name="fairstake-api"> says otherwise. */
export function apiBase(doc = document, loc = window.location) {
  const fromQuery = new URLSearchParams(loc.search).get("api");
  const fromMeta = doc.querySelector('meta[name="fairstake-api"]')?.content;
  const base = fromQuery || fromMeta || loc.origin;
  return base.replace(/\/+$/, "");
}

export class Api {
  constructor(base) {
    this.base = base;
  }

  url(path, params = {}) {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async get(path, params) {
    let response;
    try {
      response = await fetch(this.url(path, params), { headers: { Accept: "application/json" } });
    } catch (error) {
      throw new ApiError(0, `the API at ${this.base} is unreachable (${error.message})`);
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (!response.ok) {
      const detail = body?.detail ?? body;
      const message = typeof detail === "string" ? detail : JSON.stringify(detail);
      throw new ApiError(response.status, `${path}: ${response.status} ${message}`);
    }
    return body;
  }

  /** A list out of a list-or-page response ({items|results|data: [...]}). */
  static items(body) {
    if (Array.isArray(body)) return body;
    for (const key of ["items", "rows", "tokens", "results", "data"]) {
      if (Array.isArray(body?.[key])) return body[key];
    }
    return [];
  }

  wsUrl(path) {
    const url = new URL(this.base + path);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }
}

/**
 * The live feed of indexed events. Reconnects with capped backoff and asks the API to replay
 * what it missed meanwhile (`since` = the last event uid seen); `status` events let the page
 * show whether results are arriving live.
 */
export class LiveFeed extends EventTarget {
  /** @param events event names to receive, or "*" for all */
  constructor(url, events = "*") {
    super();
    this.url = url;
    this.events = Array.isArray(events) ? events.join(",") : events;
    this.lastUid = null;
    this.socket = null;
    this.retryMs = 500;
    this.closed = false;
    this.state = "connecting";
  }

  start() {
    this.closed = false;
    this.open();
    return this;
  }

  stop() {
    this.closed = true;
    this.socket?.close();
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("status", { detail: state }));
  }

  open() {
    const url = new URL(this.url);
    url.searchParams.set("events", this.events);
    if (this.lastUid) url.searchParams.set("since", this.lastUid);
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.retryMs = 500;
      this.setState("live");
    });
    socket.addEventListener("message", (message) => {
      let payload;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const item of Array.isArray(payload) ? payload : [payload]) {
        const event = normalizeEvent(item);
        if (!event) continue;
        if (event.uid) this.lastUid = event.uid;
        this.dispatchEvent(new CustomEvent("event", { detail: event }));
      }
    });
    socket.addEventListener("close", () => {
      this.socket = null;
      if (!this.closed) this.retry();
    });
    socket.addEventListener("error", () => socket.close());
  }

  retry() {
    this.setState("offline");
    setTimeout(() => this.closed || this.open(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }
}

/**
 * One indexed event in the page's shape: {name, contract, address, args, blockNumber, txHash,
 * logIndex, betId}, from a live-feed message ({type: "event", ...}) or an /audit/events row.
 */
export function normalizeEvent(row) {
  if (!row || typeof row !== "object" || !row.event) return null;
  return {
    name: row.event,
    contract: row.contract ?? null,
    address: row.address ?? null,
    args: row.args ?? {},
    blockNumber: Number(row.block ?? 0),
    txHash: row.tx ?? null,
    logIndex: Number(row.log_index ?? 0),
    betId: row.bet_id ?? null,
    uid: row.uid ?? null,
  };
}
