"""No admin for the diary: entries, doses, supplements, favourites and recipes are a person's
health data, and the site promises that nobody reads a diary without the person's consent
(dietitians through the clinic, where every look is logged). Support staff see how much a
person has, never what: the counts on the user's admin page (`support_counts` in selectors).
"""
