"""Core data types of the engine: everything else imports these, they import nothing above them."""
