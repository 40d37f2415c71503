import re
from datetime import date

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.utils import timezone

from accounts.models import Profile
from tests.accounts.helpers import totp_now
from tests.diary.factories import DiaryEntryFactory, spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory


def test_invite_accept_review_note_target_revoke(browser, site, sign_in):
    dietitian = UserFactory(name="Dana Dietitian", is_dietitian=True)
    secret = generate_totp_secret()
    TOTP.activate(dietitian, secret)
    person = UserFactory(name="Carla Client")
    Profile.objects.filter(user=person).update(sex="female", birth_date=date(1990, 6, 15))
    food, _cup = spinach_boiled()
    DiaryEntryFactory(user=person, food=food, date=timezone.localdate(), grams=200)

    desk = browser.new_page()
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        journey(desk, phone, site, sign_in, dietitian, secret, person)
    finally:
        desk.close()
        phone.close()


def journey(desk, phone, site, sign_in, dietitian, secret, person):
    sign_in(desk, dietitian.email, PASSWORD)
    desk.locator("#id_code").fill(totp_now(secret))
    desk.get_by_role("button", name="Sign In").click()
    desk.wait_for_load_state()
    assert desk.url == f"{site}/clinic/"  # a dietitian lands on their board
    assert_accessible(desk)
    desk.get_by_label("Client's e-mail address").fill(person.email)
    desk.get_by_role("button", name="Send invitation").click()
    assert f"Invitation sent to {person.email}" in desk.content()

    link = re.search(r"https?://\S+/clinic/invitations/\S+/", mail.outbox[-1].body).group(0)
    sign_in(phone, person.email, PASSWORD)
    phone.goto(link)
    assert_accessible(phone)
    phone.get_by_role("button", name="Accept and share my diary").click()
    assert "Dana Dietitian can now read your diary." in phone.content()

    desk.goto(f"{site}/clinic/")
    desk.get_by_role("link", name="Carla Client").click()
    assert "174" in desk.content()
    assert_accessible(desk)
    desk.get_by_label("Note for your client").fill("Lovely spinach. Add pumpkin seeds?")
    desk.get_by_role("button", name="Add note").click()
    assert "Note saved." in desk.content()
    desk.get_by_label("Personal daily magnesium target (mg)").fill("350")
    desk.get_by_role("button", name="Save target").click()
    assert "Daily target set to 350" in desk.content()

    phone.goto(f"{site}/profile/")
    assert_accessible(phone)
    assert "diary page" in phone.content()
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Revoke access").click()
    assert "can no longer see your diary" in phone.content()

    response = desk.goto(f"{site}/clinic/clients/{person.pk}/")
    assert response.status == 404
