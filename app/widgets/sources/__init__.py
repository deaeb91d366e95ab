"""Where a page's input comes from: sample, upload, camera, drawing, live video."""
