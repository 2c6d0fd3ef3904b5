// An exhaustive switch over a mutation's result: each union lists exactly the Problems the
// mutation can return, so `tsc --strict` fails here when the schema gains one.
import type { BookMutation } from "./generated/operations";

type Booked = BookMutation["bookMeeting"];

export function describe(result: Booked): string {
  switch (result.__typename) {
    case "Meeting":
      return `booked for ${result.startsAt}`;
    case "NotFound":
    case "InvalidInput":
    case "TooSoon":
    case "TooFarAhead":
    case "NotOffered":
    case "OutsideAvailability":
    case "SlotTaken":
    case "InsufficientCredits":
    case "InvalidState": // a coupon used as often as it allows, or used up
    case "TooLate": // an expired coupon
      return `${result.code}: ${result.message}`;
    default: {
      const unhandled: never = result;
      return unhandled;
    }
  }
}
