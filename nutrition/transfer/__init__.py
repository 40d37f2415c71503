"""Bringing a person's data in and handing it out (the FHIR record). Above the clinic and the
diary, it reads them through their selectors and writes nothing of its own."""
