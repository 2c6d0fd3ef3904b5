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
    ChangeMeetingLocationResult,
    RescheduleMeetingResult,
    RespondToOfferResult,
    SetClientProgrammeResult,
    WithdrawOfferResult,
    EndMeetingResult,
    JoinMeetingResult,
    ReviewMeetingResult,
    CancelMeetingResult,
    ConfirmMeetingResult,
    DeclineMeetingResult,
    MeetingResult,
    ProposeMeetingResult,
    RequestSessionResult,
    SettleChargeResult,
)
from app.schema.meetings import Meeting
from app.schema.notifications import Notification
from app.schema.pagination import Connection
from app.schema.users import CreditBalance, User


@strawberry.type
class Query:
    viewer: User = strawberry.field(resolver=accounts.viewer)
    credit_balance: CreditBalance = strawberry.field(resolver=accounts.credit_balance)
    expert: Expert | None = strawberry.field(resolver=accounts.expert)
    experts: Connection[Expert] = strawberry.field(resolver=accounts.experts)
    available_slots: list[Slot] = strawberry.field(resolver=availability.available_slots)
    meeting: MeetingResult = strawberry.field(resolver=meetings.meeting)
    meetings: Connection[Meeting] = strawberry.field(resolver=meetings.meetings_connection)
    notifications: Connection[Notification] = strawberry.field(
        resolver=notifications.notifications_connection
    )
    cancellation_quote: CancellationQuoteResult = strawberry.field(
        resolver=offers.cancellation_quote,
        description="What cancelMeeting would do now (refund, possible charge, acknowledgement, "
        "or the Problem), for the viewer's side (admins: actingAs, default EXPERT).",
    )


@strawberry.type
class Mutation:
    create_user: CreateUserResult = strawberry.mutation(resolver=accounts.create_user)
    grant_credits: GrantCreditsResult = strawberry.mutation(resolver=accounts.grant_credits)
    issue_token: IssueTokenResult = strawberry.mutation(resolver=accounts.issue_token)
    create_service: CreateServiceResult = strawberry.mutation(resolver=accounts.create_service)
    book_meeting: BookMeetingResult = strawberry.mutation(resolver=meetings.book_meeting)
    propose_meeting: ProposeMeetingResult = strawberry.mutation(resolver=meetings.propose_meeting)
    request_session: RequestSessionResult = strawberry.mutation(
        resolver=meetings.request_session,
        description="Client: ask an expert for a session at one of up to 5 times (credits blocked); "
        "the expert picks one with respondToOffer or declines.",
    )
    confirm_meeting: ConfirmMeetingResult = strawberry.mutation(resolver=meetings.confirm_meeting)
    decline_meeting: DeclineMeetingResult = strawberry.mutation(resolver=meetings.decline_meeting)
    cancel_meeting: CancelMeetingResult = strawberry.mutation(resolver=meetings.cancel_meeting)
    settle_charge: SettleChargeResult = strawberry.mutation(resolver=meetings.settle_charge)
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
        resolver=notifications.mark_notifications_read
    )
    set_weekly_availability: SetWeeklyAvailabilityResult = strawberry.mutation(
        resolver=availability.set_weekly_availability
    )
    set_date_override: SetDateOverrideResult = strawberry.mutation(
        resolver=availability.set_date_override
    )
    update_expert_policy: UpdateExpertPolicyResult = strawberry.mutation(
        resolver=availability.update_expert_policy
    )
    import_busy_calendar: ImportBusyCalendarResult = strawberry.mutation(
        resolver=availability.import_busy_calendar
    )
    rotate_calendar_feed: RotateCalendarFeedResult = strawberry.mutation(
        resolver=availability.rotate_calendar_feed
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
    join_meeting: JoinMeetingResult = strawberry.mutation(resolver=sessions.join_meeting)
    end_meeting: EndMeetingResult = strawberry.mutation(resolver=sessions.end_meeting)
    add_note: AddNoteResult = strawberry.mutation(resolver=sessions.add_note)
    review_meeting: ReviewMeetingResult = strawberry.mutation(resolver=sessions.review_meeting)


@strawberry.type
class Subscription:
    meeting_updated = strawberry.subscription(resolver=subscriptions.meeting_updated)
    join_availability = strawberry.subscription(resolver=subscriptions.join_availability)
    notification_added = strawberry.subscription(resolver=subscriptions.notification_added)
    instant_requests = strawberry.subscription(resolver=subscriptions.instant_requests)


__all__ = ["Query", "Mutation", "Subscription"]
