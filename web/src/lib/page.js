// What both pages do first: find the API, load the deployment, open the live feed.
import { $, el, replace } from "./dom.js";
import { Api, LiveFeed, apiBase } from "./api.js";
import { loadDeployment } from "./deployment.js";

/**
 * Shows `message` in the page's alert bar (null hides it), with a button that closes it. The
 * player page hides it again on the next confirmed transaction, so it never goes stale.
 */
export function notify(message) {
  const notice = $("#notice");
  notice.hidden = !message;
  if (!message) {
    replace(notice);
    return;
  }
  const close = el("button", { type: "button", class: "notice-close secondary small", "aria-label": "Close this message", onclick: () => notify(null) }, "×");
  replace(notice, el("span", { class: "notice-text" }, message), close);
}

/**
 * {api, deployment, interfaces, feed}, or null (with a notice) when the platform is unreachable.
 * `events`: the live-feed event names the page wants ("*": all).
 */
export async function connectPlatform(events = "*") {
  const api = new Api(apiBase());
  let deployment;
  try {
    deployment = await loadDeployment(api);
  } catch (error) {
    notify(`The platform is not reachable: ${error.message}`);
    return null;
  }
  const feed = new LiveFeed(api.wsUrl("/ws/events"), events).start();
  return { api, deployment, interfaces: deployment.interfaces(), feed };
}

/** Runs a page's main(); a failure to start is shown, not just logged. */
export function start(main) {
  main()
    .then(() => {
      document.body.dataset.ready = "true";
    })
    .catch((error) => {
      notify(`The page failed to start: ${error.message}`);
      throw error;
    });
}
