"""Issue 18's acceptance for reports, on SQLite and PostgreSQL: confirmations from Teams and from the e-mailed link,
a withdrawal, a forged and a used link, a late confirmation, the chair's status at the deadline and on /reports, a
chair marking someone the bot could not remind, a conference that moves and one that is cancelled
(`tests/support/report_scene.py` sets the scene).
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.reports import ReportSource
from tests.support.card_reading import card_text
from tests.support.fake_connector import FakeMeeting, FakePerson, SentActivity
from tests.support.report_scene import (
    CHAIR,
    CHAT_ID,
    MAILBOX,
    POLICE,
    SOCIAL_WORKER,
    START,
    TEACHER,
    Scene,
    at,
    buttons,
    conference_id,
)


async def test_reports_are_confirmed_from_teams_and_the_email_link_withdrawn_marked_and_shown_to_the_chair(
    scene: Scene,
) -> None:
    # Monday 7th, 09:00: the reminders. Teams for the social worker, with the button; e-mail with a link for the
    # police officer and the teacher; the health visitor's address is refused.
    await scene.at(at(7, 9))
    [reminder] = scene.private(SOCIAL_WORKER)
    [button] = buttons(reminder.cards[0])
    assert button["title"] == "I have shared my report with the Chair and the family"
    assert set(button["data"]) == {"action", "conference"}, "who confirms comes from Teams, not the card"
    number = await conference_id(scene)
    police_link, teacher_link = scene.link_in_mail_to(POLICE), scene.link_in_mail_to(TEACHER)
    assert police_link != teacher_link
    assert not scene.private(CHAIR), "the chair sends no report: not reminded"

    # The social worker presses it, twice: one confirmation, the card replaced each time.
    await scene.at(at(7, 11))
    await scene.press(SOCIAL_WORKER, reminder, button["data"])
    assert "Thank you: your report is recorded as shared" in card_text([scene.last_update()])
    await scene.press(SOCIAL_WORKER, reminder, button["data"])
    assert "already recorded as shared" in card_text([scene.last_update()])
    [confirmation] = await scene.reports().confirmations(number)
    assert (confirmation.email, confirmation.source, confirmation.confirmed_at) == (
        SOCIAL_WORKER.email,
        ReportSource.TEAMS,
        at(7, 11),
    )

    # The police officer opens the e-mail's link: a page asking, nothing recorded yet (scanners open links too).
    opened = await scene.client.get(police_link)
    page = await opened.text()
    assert opened.status == 200
    assert "I have shared my report" in page
    assert "Family" not in page
    assert len(await scene.reports().confirmations(number)) == 1
    pressed = await scene.client.post(police_link)
    assert pressed.status == 200
    assert "recorded as shared" in await pressed.text()
    again = await scene.client.post(police_link)
    assert again.status == 410
    assert "already been used" in await again.text()
    assert (await scene.client.get(police_link)).status == 410

    # A forged link (the teacher's, altered) records nothing.
    forged = teacher_link[:-4] + ("AAAA" if not teacher_link.endswith("AAAA") else "BBBB")
    refused = await scene.client.post(forged)
    assert refused.status == 404
    assert "not one I recognise" in await refused.text()
    assert {c.email for c in await scene.reports().confirmations(number)} == {
        SOCIAL_WORKER.email,
        POLICE.email,
    }

    # The social worker takes theirs back (pressed by mistake), from the replacement card's button.
    replacement = SentActivity(reminder.conversation_id, None, {}, None, activity_id=reminder.activity_id)
    [withdraw] = buttons(scene.last_update())
    await scene.press(SOCIAL_WORKER, replacement, withdraw["data"])
    assert "withdrawn" in card_text([scene.last_update()])
    assert {c.email for c in await scene.reports().confirmations(number)} == {POLICE.email}

    # Tuesday 8th: the chair asks /reports in their own chat.
    await scene.at(at(8, 12))
    await scene.say(CHAIR, "/reports")
    answer = scene.private(CHAIR)[-1]
    text = answer.text
    assert "1 of 4" in text
    assert "Outstanding: Children's social care, Education, Health" in text
    assert "Jo Evans (Police): shared" in text
    assert "I could not remind them" in text, "the health visitor was not reached"

    # Wednesday 9th, 09:00: the deadline has passed; the chair hears, privately, unasked.
    before = len(scene.private(CHAIR))
    await scene.at(at(9, 9))
    [status] = scene.private(CHAIR)[before:]
    assert "The report deadline has passed" in status.text
    assert "1 of 4" in status.text
    assert not scene.connector.sent_to(CHAT_ID), "nothing about reports in the meeting chat"

    # The health visitor told the chair by phone: the chair marks them from the card.
    [mark] = [b for b in buttons(status.cards[0]) if b["title"] == "Mark Ria Shah as shared"]
    await scene.press(CHAIR, status, mark["data"])
    assert "Ria Shah (Health): marked as shared by a CP Chair" in card_text([scene.last_update()])
    # Someone who does not chair cannot, whatever data they send.
    await scene.press(SOCIAL_WORKER, replacement, {**mark["data"], "invitee": TEACHER.email})
    assert "Only a CP Chair of this conference" in scene.private(SOCIAL_WORKER)[-1].text

    # The social worker confirms again, after the deadline: late.
    await scene.at(at(9, 10))
    fresh = SentActivity(reminder.conversation_id, None, {}, None, activity_id=reminder.activity_id)
    await scene.press(SOCIAL_WORKER, fresh, button["data"])
    assert "after the deadline" in card_text([scene.last_update()])
    await scene.say(CHAIR, "/reports")
    text = scene.private(CHAIR)[-1].text
    assert "3 of 4" in text
    assert "Sam Patel (Children's social care): shared" in text
    assert "late" in text
    assert "Outstanding: Education" in text

    # The conference moves to Friday 11th: the confirmations follow it, the deadline (now Wednesday 9th) too, so the
    # social worker's is no longer late.
    moved = START + timedelta(days=1)
    scene.graph.calendars.change(MAILBOX, "event-r", start=moved, end=moved + timedelta(hours=2))
    await scene.at(at(9, 11))
    await scene.say(CHAIR, "/reports")
    text = scene.private(CHAIR)[-1].text
    assert "Friday 11 December" in text
    assert "3 of 4" in text
    assert "late" not in text

    # After the conference the teacher's link has expired.
    await scene.at(moved + timedelta(hours=3))
    expired = await scene.client.post(teacher_link)
    assert expired.status == 410
    assert "expired" in await expired.text()
    assert TEACHER.email not in {c.email for c in await scene.reports().confirmations(number)}


async def test_a_cancelled_conference_takes_no_confirmation(scene: Scene) -> None:
    await scene.at(at(7, 9))
    police_link = scene.link_in_mail_to(POLICE)
    number = await conference_id(scene)
    scene.graph.calendars.change(MAILBOX, "event-r", is_cancelled=True)
    await scene.at(at(7, 10))
    page = await scene.client.post(police_link)
    assert page.status == 410
    assert "cancelled" in await page.text()
    [reminder] = scene.private(SOCIAL_WORKER)
    [button] = buttons(reminder.cards[0])
    await scene.press(SOCIAL_WORKER, reminder, button["data"])
    assert "cancelled" in scene.private(SOCIAL_WORKER)[-1].text
    assert await scene.reports().confirmations(number) == []


async def test_someone_not_invited_cannot_confirm_for_the_conference(scene: Scene) -> None:
    await scene.at(at(7, 9))
    number = await conference_id(scene)
    stranger = FakePerson("aad-stranger", "Pat Doe", "pat.doe@example-council.gov.uk")
    scene.connector.meetings["other"] = FakeMeeting(
        "other", "19:meeting_other@thread.v2", [stranger], organizer=stranger
    )
    scene.connector.private_chats["a:personal-aad-stranger"] = stranger.teams_user_id
    card = SentActivity("a:personal-aad-stranger", None, {}, None, activity_id="1:999")
    await scene.press(stranger, card, {"action": "report-shared", "conference": number})
    assert "could not find you among the professionals invited" in scene.connector.sent[-1].text
    for nonsense in ({"action": "report-shared"}, {"action": "report-shared", "conference": "x'; drop"}):
        await scene.press(stranger, card, nonsense)
        assert "which conference" in scene.connector.sent[-1].text
    assert await scene.reports().confirmations(number) == []
