"""The root types: every public operation name of API.md maps to a resolver here."""

import strawberry

from app.resolvers import (
    accounts,
    availability,
    instant,
    meetings,
    notifications,
    offers,
    sessions,
    subscriptions,
)
from app.schema.account_results import (
    CreateServiceResult,
    CreateUserResult,
    GrantCreditsResult,
    IssueTokenResult,
    MarkNotificationsReadResult,
)
from app.schema.availability import Slot
from app.schema.availability_results import (
    ImportBusyCalendarResult,
    RotateCalendarFeedResult,
    SetDateOverrideResult,
    SetWeeklyAvailabilityResult,
    UpdateExpertPolicyResult,
)
from app.schema.experts import Expert
from app.schema.instant import PostInstantRequestResult, TakeInstantRequestResult, WithdrawInstantRequestResult
from app.schema.meeting_results import (
    AddNoteResult,
    BookMeetingResult,
    CancellationQuoteResult,
    CancelMeetingResult,
    ChangeMeetingLocationResult,
    ConfirmMeetingResult,
    DeclineMeetingResult,
    EndMeetingResult,
    JoinMeetingResult,
    MeetingResult,
    ProposeMeetingResult,
    RequestSessionResult,
    RescheduleMeetingResult,
    RespondToOfferResult,
    ReviewMeetingResult,
    SetClientProgrammeResult,
    SettleChargeResult,
    WithdrawOfferResult,
)
from app.schema.meetings import Meeting
from app.schema.notifications import Notification
from app.schema.pagination import Connection
from app.schema.users import CreditBalance, User


@strawberry.type(description="Reads. Public ones need no token; the rest answer only about you.")
class Query:
    viewer: User = strawberry.field(
        resolver=accounts.viewer,
        description="You: the user the bearer token belongs to.",
    )
    credit_balance: CreditBalance = strawberry.field(
        resolver=accounts.credit_balance,
        description="Your credits: available, blocked for meetings, and an expert's pending earnings.",
    )
    expert: Expert | None = strawberry.field(
        resolver=accounts.expert,
        description="One expert's public profile; null when there is no such expert.",
    )
    experts: Connection[Expert] = strawberry.field(
        resolver=accounts.experts,
        description="The public list of experts, in the recommended order (highest recommendationScore first).",
    )
    available_slots: list[Slot] = strawberry.field(
        resolver=availability.available_slots,
        description="Public: free start times of an expert's service in [from, to), in UTC "
        "(at most 92 days; costs the whole query budget).",
    )
    meeting: MeetingResult = strawberry.field(
        resolver=meetings.meeting,
        description="One of your meetings (any meeting, for admins), or NOT_FOUND.",
    )
    meetings: Connection[Meeting] = strawberry.field(
        resolver=meetings.meetings_connection,
        description="Your meetings by start, earliest first (requested sessions without a time come first); "
        "admins see every meeting.",
    )
    notifications: Connection[Notification] = strawberry.field(
        resolver=notifications.notifications_connection, description="Your notifications, newest first."
    )
    cancellation_quote: CancellationQuoteResult = strawberry.field(
        resolver=offers.cancellation_quote,
        description="What cancelMeeting would do now (refund, possible charge, acknowledgement, "
        "or the Problem), for the viewer's side (admins: actingAs, default EXPERT).",
    )


@strawberry.type(description="Actions. Each answers its result or a Problem, and a Problem changes nothing.")
class Mutation:
    create_user: CreateUserResult = strawberry.mutation(
        resolver=accounts.create_user,
        description="Admins: create an account, optionally as an expert.",
    )
    grant_credits: GrantCreditsResult = strawberry.mutation(
        resolver=accounts.grant_credits,
        description="Admins: add credits to a user's balance.",
    )
    issue_token: IssueTokenResult = strawberry.mutation(
        resolver=accounts.issue_token,
        description="Admins: a bearer token for a user.",
    )
    create_service: CreateServiceResult = strawberry.mutation(
        resolver=accounts.create_service,
        description="Expert: add a service (durations with prices, modes).",
    )
    book_meeting: BookMeetingResult = strawberry.mutation(
        resolver=meetings.book_meeting,
        description="Client: book a free slot; credits are blocked and the meeting waits for the expert.",
    )
    propose_meeting: ProposeMeetingResult = strawberry.mutation(
        resolver=meetings.propose_meeting,
        description="Expert: propose a meeting to a client; it waits for the client.",
    )
    request_session: RequestSessionResult = strawberry.mutation(
        resolver=meetings.request_session,
        description="Client: ask an expert for a session at one of up to 5 times (credits blocked); "
        "the expert picks one with respondToOffer or declines.",
    )
    confirm_meeting: ConfirmMeetingResult = strawberry.mutation(
        resolver=meetings.confirm_meeting,
        description="The side that has not approved yet approves: AGREED.",
    )
    decline_meeting: DeclineMeetingResult = strawberry.mutation(
        resolver=meetings.decline_meeting,
        description="The side that has not approved yet declines: REJECTED, credits returned.",
    )
    cancel_meeting: CancelMeetingResult = strawberry.mutation(
        resolver=meetings.cancel_meeting,
        description="Either side cancels (see cancellationQuote for what would happen first).",
    )
    settle_charge: SettleChargeResult = strawberry.mutation(
        resolver=meetings.settle_charge,
        description="Expert: charge or waive a late client cancellation or a client no-show.",
    )
    reschedule_meeting: RescheduleMeetingResult = strawberry.mutation(
        resolver=offers.reschedule_meeting,
        description="Move a meeting now or offer other times; what happens depends on your side "
        "and reason (see RescheduleMeetingInput).",
    )
    respond_to_offer: RespondToOfferResult = strawberry.mutation(
        resolver=offers.respond_to_offer,
        description="The addressee of an offer picks one option (ACCEPT) or rejects it.",
    )
    withdraw_offer: WithdrawOfferResult = strawberry.mutation(
        resolver=offers.withdraw_offer,
        description="The side that made an offer takes it back; its held times are free again.",
    )
    change_meeting_location: ChangeMeetingLocationResult = strawberry.mutation(
        resolver=offers.change_meeting_location,
        description="Expert: offer another mode or place; the old one stands until the client accepts.",
    )
    set_client_programme: SetClientProgrammeResult = strawberry.mutation(
        resolver=offers.set_client_programme,
        description="Expert (or admin): put a client in the HUB programme (rebooks itself) or PRIVATE.",
    )
    mark_notifications_read: MarkNotificationsReadResult = strawberry.mutation(
        resolver=notifications.mark_notifications_read, description="Mark some or all of your notifications read."
    )
    set_weekly_availability: SetWeeklyAvailabilityResult = strawberry.mutation(
        resolver=availability.set_weekly_availability,
        description="Expert: replace your weekly hours and booking rules.",
    )
    set_date_override: SetDateOverrideResult = strawberry.mutation(
        resolver=availability.set_date_override, description="Expert: other hours, or a day off, on one date."
    )
    update_expert_policy: UpdateExpertPolicyResult = strawberry.mutation(
        resolver=availability.update_expert_policy,
        description="Expert: change your cancellation, join, no-show and notes windows.",
    )
    import_busy_calendar: ImportBusyCalendarResult = strawberry.mutation(
        resolver=availability.import_busy_calendar,
        description="Expert: import busy time from an .ics calendar (replaces the last import).",
    )
    rotate_calendar_feed: RotateCalendarFeedResult = strawberry.mutation(
        resolver=availability.rotate_calendar_feed,
        description="Make (or replace) your private calendar feed address; the old one stops working.",
    )
    post_instant_request: PostInstantRequestResult = strawberry.mutation(
        resolver=instant.post_instant_request,
        description="Client: a session now; offered live to every matching expert who is online and free.",
    )
    take_instant_request: TakeInstantRequestResult = strawberry.mutation(
        resolver=instant.take_instant_request,
        description="Expert: the first taker gets an INSTANT meeting, AGREED now, at their price; "
        "later takers get ALREADY_TAKEN.",
    )
    withdraw_instant_request: WithdrawInstantRequestResult = strawberry.mutation(
        resolver=instant.withdraw_instant_request,
        description="Client: take back an instant request nobody has taken yet.",
    )
    join_meeting: JoinMeetingResult = strawberry.mutation(
        resolver=sessions.join_meeting,
        description="Join an agreed meeting inside its join window; when both have joined it is IN_PROGRESS.",
    )
    end_meeting: EndMeetingResult = strawberry.mutation(
        resolver=sessions.end_meeting,
        description="Expert: end a running session early: COMPLETED.",
    )
    add_note: AddNoteResult = strawberry.mutation(
        resolver=sessions.add_note,
        description="Expert: add a note to a meeting (never edited or deleted).",
    )
    review_meeting: ReviewMeetingResult = strawberry.mutation(
        resolver=sessions.review_meeting,
        description="Client: review a completed session, once.",
    )


@strawberry.type(
    description="Live updates over the WebSocket at /graphql (graphql-transport-ws); sign in with connection_init."
)
class Subscription:
    meeting_updated = strawberry.subscription(
        resolver=subscriptions.meeting_updated,
        description="A meeting's state each time it changes (all of yours without meetingId).",
    )
    join_availability = strawberry.subscription(
        resolver=subscriptions.join_availability,
        description="Whether you can join a meeting: its current value, then each time it flips.",
    )
    notification_added = strawberry.subscription(
        resolver=subscriptions.notification_added,
        description="Each new notification for you, as it is made.",
    )
    instant_requests = strawberry.subscription(
        resolver=subscriptions.instant_requests,
        description="Experts: instant requests you could take, as they are posted, taken or expire.",
    )


__all__ = ["Mutation", "Query", "Subscription"]
