"""Uploads in session state: a real file gives its bytes, the placeholder Streamlit leaves
for a file this process never received gives none (the proxy test meets it for real)."""

from streamlit.runtime.uploaded_file_manager import DeletedFile, UploadedFile, UploadedFileRec

from app.widgets.sources.held_files import held_bytes, is_lost


def test_a_held_file_gives_its_bytes_and_a_lost_one_none():
    record = UploadedFileRec(file_id="a", name="p.png", type="image/png", data=b"\x89PNG...")
    held = UploadedFile(record, None)
    lost = DeletedFile(file_id="b")
    assert held_bytes(held) == b"\x89PNG..." and not is_lost(held)
    assert held_bytes(lost) is None and is_lost(lost)
    assert held_bytes(None) is None and not is_lost(None)
