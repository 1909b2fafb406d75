"""End to end in real Chromium against a real server: a phone (390×844, WeChat) logs in from the QR code
printed on its card, checks in from the QR code on the hall screen (1920×1080), and the screen's
实到 count changes without a reload. Both QR codes are read from their images with jsQR.

Set VOTING_SCREENSHOTS=<folder> to keep screenshots of the card sheet, the phone and the screen.
"""
from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser import WECHAT_UA, chromium

SHOTS = os.environ.get("VOTING_SCREENSHOTS")

DECODE_IMAGE = """async ({src, size}) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = size; canvas.height = size * img.naturalHeight / img.naturalWidth;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(data.data, data.width, data.height);
  return found ? found.data : null;
}"""


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=False)


def card_png(app, db, live_server, roster, tmp_path) -> bytes:
    """Print rep 0's card as the console would, and rasterise the PDF like a printer would see it."""
    from voting.actions.cards import print_cards

    with app.app_context():
        pdf, count = print_cards(db, roster.body_id, live_server, representative_ids=[roster.reps[0].id])
    assert count == 1
    (tmp_path / "card.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(tmp_path / "card.pdf"), str(tmp_path / "card")],
                   check=True)
    png = (tmp_path / "card.png").read_bytes()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / "card_sheet.png").write_bytes(png)
    return png


@pytest.mark.browser
def test_card_login_then_screen_check_in_updates_the_screen_live(app, db, client, auth, live_server, make_roster,
                                                                  tmp_path):
    from voting.actions.checkin import screen_token_for

    roster = make_roster(5)
    mid = roster.meeting_id
    client.post(f"/api/v1/meetings/{mid}/checkin/open", headers=auth)
    with app.app_context():
        token = screen_token_for(db, mid, renew=True)
    png = card_png(app, db, live_server, roster, tmp_path)

    with chromium() as browser:
        screen = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
        errors = []
        screen.on("pageerror", lambda e: errors.append(str(e)))
        screen.goto(f"{live_server}/screen/{mid}?token={token}")
        screen.wait_for_function("document.getElementById('checkin-qr').complete && "
                                 "document.getElementById('checkin-qr').naturalWidth > 0", timeout=10000)
        screen.evaluate("window.__not_reloaded = true")
        assert screen.inner_text("#count-present") == "0" and screen.inner_text("#count-expected") == "5"
        assert "不足法定人数" in screen.inner_text("#quorum")
        screen.add_script_tag(url=f"{live_server}/vendor/jsqr/dist/jsQR.js")
        shot(screen, "screen_before.png")

        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=WECHAT_UA,
                                            is_mobile=True, has_touch=True, locale="zh-CN")
        phone = phone_context.new_page()
        phone.on("pageerror", lambda e: errors.append(str(e)))

        # 1. The phone scans its card: read the printed card's QR code like a camera would.
        card_url = screen.evaluate(DECODE_IMAGE, {"src": "data:image/png;base64," + base64.b64encode(png).decode(),
                                                  "size": 1654})
        assert card_url and card_url.startswith(f"{live_server}/r/"), card_url
        phone.goto(card_url)
        assert phone.url.endswith("/booth/")
        body = phone.inner_text("body")
        assert roster.reps[0].name in body and "未签到" in body and "签到已开始" in body
        shot(phone, "phone_home.png")

        # 2. It scans the hall screen's code (read from the screen's own QR image).
        checkin_url = screen.evaluate(DECODE_IMAGE, {"src": screen.get_attribute("#checkin-qr", "src"), "size": 600})
        assert checkin_url and checkin_url.startswith(f"{live_server}/c/{mid}/"), checkin_url
        phone.goto(checkin_url)
        assert "已签到" in phone.inner_text("h1")
        shot(phone, "phone_checked_in.png")

        # 3. The screen counts them without a reload.
        screen.wait_for_function("document.getElementById('count-present').textContent === '1'", timeout=10000)
        assert screen.evaluate("window.__not_reloaded") is True
        assert screen.inner_text("#count-absent") == "4"
        shot(screen, "screen_after.png")

        # 4. Three more at the desk: the quorum (4 of 5) is met, live.
        for rep in roster.reps[1:4]:
            client.put(f"/api/v1/meetings/{mid}/attendance/{rep.id}", json={"status": "present"}, headers=auth)
        screen.wait_for_function("document.getElementById('count-present').textContent === '4'", timeout=10000)
        assert "符合法定人数" in screen.inner_text("#quorum")
        shot(screen, "screen_quorum.png")

        # 5. Closing check-in hides the code on the screen.
        client.post(f"/api/v1/meetings/{mid}/checkin/close", headers=auth)
        screen.wait_for_selector("#checkin", state="hidden", timeout=10000)
        shot(screen, "screen_closed.png")
        assert errors == []
