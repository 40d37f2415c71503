"""Bringing a person's data in (imports from other trackers, written through the diary's and the
health record's services) and handing it out (the FHIR record). Above the clinic and the
diary: it reads them through their selectors and writes through their services."""
