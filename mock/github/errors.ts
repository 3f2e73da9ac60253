// Error bodies as github.com sends them (basic-error: message, documentation_url, status as a string).

export const DOCS_REST = "https://docs.github.com/rest";
export const DOCS_EVENTS = "https://docs.github.com/rest/activity/events";
export const DOCS_PAGINATION = "https://docs.github.com/v3/#pagination";
export const DOCS_RATE_LIMITS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
export const DOCS_SECONDARY =
  "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";
export const DOCS_VERSIONS = "https://docs.github.com/rest/about-the-rest-api/api-versions";

export const PAGINATION_LIMIT_MESSAGE =
  "In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.";

/** Sent as text/html, not JSON, when the User-Agent header is missing. */
export const USER_AGENT_HTML =
  "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n";

export function errorBody(status: number, message: string, documentationUrl: string): string {
  return JSON.stringify({ message, documentation_url: documentationUrl, status: String(status) });
}

export function primaryLimitMessage(who: { ip: string } | { userId: number }): string {
  return "ip" in who
    ? `API rate limit exceeded for ${who.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
    : `API rate limit exceeded for user ID ${who.userId}.`;
}

export function secondaryLimitMessage(requestId: string): string {
  return `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
}
