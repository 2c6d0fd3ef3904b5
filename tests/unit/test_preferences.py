import pytest

from app.domain.errors import InvalidInput
from app.domain.notifications import Channel
from app.domain.preferences import ChannelChoice, NotificationPreferences, check_preferences


def test_by_default_e_mail_and_no_text_messages() -> None:
    preferences = NotificationPreferences()
    assert preferences.wants("BOOKED_BY_CLIENT", Channel.EMAIL)
    assert not preferences.wants("BOOKED_BY_CLIENT", Channel.SMS)
    assert preferences.wants("BOOKED_BY_CLIENT", Channel.DASHBOARD)


def test_a_type_of_its_own_overrides_the_defaults() -> None:
    preferences = NotificationPreferences(email=False, sms=False, by_type={"REMINDER_10M": ChannelChoice(False, True)})
    assert preferences.wants("REMINDER_10M", Channel.SMS) and not preferences.wants("REMINDER_10M", Channel.EMAIL)
    assert not preferences.wants("REMINDER_24H", Channel.EMAIL) and not preferences.wants("REMINDER_24H", Channel.SMS)


def test_preferences_are_stored_and_read_back_alike() -> None:
    preferences = NotificationPreferences(email=True, sms=True, by_type={"NOTE_ADDED": ChannelChoice(True, False)})
    assert NotificationPreferences.from_stored(preferences.stored()) == preferences
    assert NotificationPreferences.from_stored(None) == NotificationPreferences()


def test_text_messages_need_a_phone_number() -> None:
    by_type = {"REMINDER_10M": ChannelChoice(False, True)}
    for preferences in (NotificationPreferences(sms=True), NotificationPreferences(by_type=by_type)):
        with pytest.raises(InvalidInput, match="phone number"):
            check_preferences(preferences, None)
        assert check_preferences(preferences, "+447911123456") == preferences


def test_an_update_replaces_what_it_gives_and_leaves_the_rest() -> None:
    before = NotificationPreferences(email=True, sms=True, by_type={"NOTE_ADDED": ChannelChoice(True, False)})
    assert before.updated(email=False) == NotificationPreferences(False, True, before.by_type)
    assert before.updated(by_type={}) == NotificationPreferences(True, True, {})
    assert before.updated() == before
