"""Pictures in the browser: encoding, the clickable image, map views, slides."""
