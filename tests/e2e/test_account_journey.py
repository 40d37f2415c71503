from django.core import mail

from tests.e2e.conftest import assert_accessible, verification_link

PASSWORD = "a long and memorable passphrase 7"


def test_sign_up_verify_log_in_and_edit_profile(page, site, sign_in):
    page.goto(site + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Create account").first.click()
    assert_accessible(page)
    page.locator("#id_email").fill("newcomer@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    assert "verify" in page.content().lower()
    assert_accessible(page)

    page.goto(verification_link(mail.outbox))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    page.goto(site + "/profile/")
    if "/accounts/login/" in page.url:
        sign_in(page, "newcomer@example.com", PASSWORD)
        page.goto(site + "/profile/")
    assert_accessible(page)
    page.get_by_label("Female").check()
    page.get_by_label("Birth date").fill("1988-04-02")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    assert "Your profile is saved." in page.content()
    assert_accessible(page)
    assert page.get_by_label("Time zone").input_value() == "Europe/Berlin"

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "/")
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the home page scrolls sideways on a 360 px phone"
