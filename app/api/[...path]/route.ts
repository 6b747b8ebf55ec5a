import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/api-route";

// Any other /api path – a JSON 404 rather than the HTML not-found page.
const notFound = (request: Request) => {
  const response = errorResponse(new AppError("NOT_FOUND", `No API at ${new URL(request.url).pathname}.`));
  response.headers.set("cache-control", "no-store");
  return response;
};

export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
