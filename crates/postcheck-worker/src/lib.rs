//! postcheck's DNS gateway as a Cloudflare Worker.
