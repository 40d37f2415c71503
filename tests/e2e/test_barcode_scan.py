"""Browser: finding a packaged product by its barcode — typed digits (with and without
JavaScript), and a scan through a camera.

There is no real camera in CI. Chromium's fake capture device plays a video file instead, so
the scan test makes a Y4M video of an EAN-13 barcode drawn here, pixel by pixel, and the page
reads it through the same getUserMedia → decoder → form path a phone's camera takes (headless
Chromium on Linux has no BarcodeDetector, so the vendored ZXing build does the decoding).
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from nutrition.foods import search
from tests.e2e.conftest import CHROMIUM, assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.foods.factories import BrandedFoodFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}
CODE = "0722252100900"  # EAN-13 of the UPC-A 722252100900

# EAN-13 symbol: the first digit chooses the left half's L/G parity; the right half is R.
_L = ["0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011"]  # fmt: skip
_R = ["".join("1" if b == "0" else "0" for b in code) for code in _L]
_G = [code[::-1] for code in _R]
_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]  # fmt: skip


def ean13_modules(code: str) -> str:
    digits = [int(d) for d in code]
    left = "".join(
        (_L if p == "L" else _G)[d] for p, d in zip(_PARITY[digits[0]], digits[1:7], strict=True)
    )
    right = "".join(_R[d] for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def barcode_video(path, code: str, width: int = 640, height: int = 480) -> None:
    """A Y4M video (4:2:0, a few identical frames) of the barcode, black on white."""
    modules = ean13_modules(code)
    module = 4
    left = (width - len(modules) * module) // 2
    row = bytearray(b"\xff" * width)
    for i, bit in enumerate(modules):
        if bit == "1":
            row[left + i * module : left + (i + 1) * module] = b"\x00" * module
    white = bytes(b"\xff" * width)
    luma = b"".join(
        bytes(row) if height // 4 <= y < 3 * height // 4 else white for y in range(height)
    )
    chroma = b"\x80" * (width // 2 * height // 2)
    frame = b"FRAME\n" + luma + chroma + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 5)


@pytest.fixture
def bar():
    food = BrandedFoodFactory(
        name="ALMOND & COCONUT BAR",
        brand="KIND",
        barcode="00722252100900",
        serving_size=Decimal("40"),
        household_serving="1 bar",
        magnesium_mg_per_100g=Decimal("125"),
    )
    search.refresh_index()
    return food


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="scan.person@example.com")
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1990, 6, 15), timezone="UTC"
    )
    return user


def _launch(playwright, *extra):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream", *extra],
    )


def test_the_ean13_drawing_is_a_valid_symbol():
    modules = ean13_modules(CODE)
    assert len(modules) == 95
    assert modules.startswith("101") and modules.endswith("101") and modules[45:50] == "01010"


def test_typed_digits_open_the_product_without_javascript(browser, site, bar):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/foods/")
    expect(page.locator("[data-scan]")).to_be_hidden()  # no script, no camera button
    page.get_by_label("Barcode digits").fill("722252100900")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ALMOND & COCONUT BAR")
    expect(page.locator(".food-facts")).to_contain_text("722252100900")
    page.goto(f"{site}/foods/?barcode=036000291452")
    expect(page.locator('[data-code="barcode-not-found"]')).to_be_visible()
    context.close()


def test_typed_digits_in_the_diary_offer_the_product(page, site, sign_in, person, bar):
    page.set_viewport_size(PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(f"{site}/diary/")
    page.get_by_label("Add to snack").fill("0722252100900")
    row = page.locator(f"#add-snack-{bar.pk}")
    expect(row).to_contain_text("KIND · serving 40 g (1 bar)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_scanned_barcode_opens_the_product(playwright, site, bar, tmp_path):
    video = tmp_path / "barcode.y4m"
    barcode_video(video, CODE)
    browser = _launch(
        playwright, "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"
    )
    context = browser.new_context(viewport=PHONE, permissions=["camera"])
    page = context.new_page()
    page.goto(f"{site}/foods/")
    scan = page.get_by_role("button", name="Scan")
    expect(scan).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    scan.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ALMOND & COCONUT BAR", timeout=20_000
    )
    assert page.url.endswith(f"/foods/{bar.pk}/")
    context.close()
    browser.close()


def test_a_scan_in_the_diary_fills_the_search_with_the_product(
    playwright, site, person, bar, tmp_path
):
    video = tmp_path / "barcode.y4m"
    barcode_video(video, CODE)
    browser = _launch(
        playwright, "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"
    )
    context = browser.new_context(viewport=PHONE, permissions=["camera"])
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.locator("#id_login").fill(person.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    page.goto(f"{site}/diary/")
    page.get_by_role("button", name="Scan a barcode for breakfast").click()
    expect(page.locator(f"#add-breakfast-{bar.pk}")).to_contain_text(
        "KIND · serving 40 g (1 bar)", timeout=20_000
    )
    expect(page.get_by_label("Add to breakfast")).to_have_value("722252100900")
    expect(page.locator(".scanner")).to_have_count(0)  # the camera is let go
    context.close()
    browser.close()


def test_a_refused_camera_says_so_and_leaves_typing(playwright, site, bar):
    browser = _launch(playwright)  # no fake permission prompt: the request is refused
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/foods/")
    page.get_by_role("button", name="Scan").click()
    expect(page.locator("#scan-status")).to_contain_text("The camera is blocked for this site")
    expect(page.locator(".scanner")).to_have_count(0)
    expect(page.get_by_label("Barcode digits")).to_be_editable()
    context.close()
    browser.close()
