"""Publishing: the office's own articles turned into the formats each channel needs.

:mod:`newsdesk.publish.formats` makes the short formats of one language variant: social
posts within each network's length rules, a caption, hashtags and video subtitles.
"""
