"""Reference tables that checks judge against (end of support, well-known ports), bundled or refreshed."""
