"""The vocabulary of printing: limits of the shop's logo and error codes."""

# A logo is printed about 15 mm high: a small PNG or JPEG is plenty, and it is kept in the database.
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4096  # per side
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ErrorCode:
    REQUIRED = "required"
    LOGO_TOO_LARGE = "logo_too_large"
    LOGO_NOT_AN_IMAGE = "logo_not_an_image"
    LOGO_UNREADABLE = "logo_unreadable"
    LOGO_TOO_MANY_PIXELS = "logo_too_many_pixels"
    TAXPAYER_ID_INVALID = "taxpayer_id_invalid"
    TOO_LONG = "too_long"
