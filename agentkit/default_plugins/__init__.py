"""Built-in plugins: written against the public hooks only, like any third party's."""
