"""Photos taken on a phone: checked by decoding, resized, thumbnailed, stripped of their metadata
(location included) and stored on disk under MEDIA_ROOT with random names; served only to those
the owning domain allows (see `service.register_owner`)."""
