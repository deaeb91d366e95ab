"""Steps on the Your classes page shared by browser tests: each class's pictures uploaded,
then the model trained."""

import re

from .conftest import wait_for_app


def upload_and_train(page, folder, classes) -> None:
    """Upload ``folder/<class>/*`` for each of ``classes`` (the page open with those class
    names), press Train and wait for the held-out result."""
    for name in classes:
        page.get_by_role("radio", name=name, exact=True).first.dispatch_event("click")
        wait_for_app(page)
        page.locator('input[type="file"]').first.set_input_files(
            sorted(str(p) for p in (folder / name).iterdir())
        )
        count = len(list((folder / name).iterdir()))
        page.get_by_text(re.compile(rf"^{name}: {count} pictures$")).first.wait_for(timeout=30_000)
        wait_for_app(page)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Held-out accuracy").first.wait_for(timeout=120_000)
