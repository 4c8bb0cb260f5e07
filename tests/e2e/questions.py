"""The question documents the browser tests post HITs with."""

FORM_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"

# Every QuestionForm part a worker fills or sees: Overview with Binary content, free text, a multi-select
# checkbox, a radio group, a dropdown, a list and a file upload (not supported yet: shown, optional).
QUESTION_FORM = f"""<QuestionForm xmlns="{FORM_NS}">
<Overview><Title>Describe the picture</Title><Text>Look &amp; answer &lt;carefully&gt;.</Text>
<Binary><MimeType><Type>image</Type><SubType>png</SubType></MimeType>
<DataURL>https://images.example.test/cat.png</DataURL><AltText>A cat</AltText></Binary></Overview>
<Question><QuestionIdentifier>caption</QuestionIdentifier><DisplayName>Caption</DisplayName>
<IsRequired>true</IsRequired><QuestionContent><Text>Write a caption.</Text></QuestionContent>
<AnswerSpecification><FreeTextAnswer><NumberOfLinesSuggestion>3</NumberOfLinesSuggestion></FreeTextAnswer>
</AnswerSpecification></Question>
<Question><QuestionIdentifier>animals</QuestionIdentifier><DisplayName>Animals</DisplayName>
<QuestionContent><Text>Which animals do you see?</Text></QuestionContent>
<AnswerSpecification><SelectionAnswer><MinSelectionCount>1</MinSelectionCount>
<MaxSelectionCount>3</MaxSelectionCount><StyleSuggestion>checkbox</StyleSuggestion><Selections>
<Selection><SelectionIdentifier>cat</SelectionIdentifier><Text>Cat</Text></Selection>
<Selection><SelectionIdentifier>dog</SelectionIdentifier><Text>Dog</Text></Selection>
<Selection><SelectionIdentifier>bird</SelectionIdentifier><Text>Bird</Text></Selection>
</Selections></SelectionAnswer></AnswerSpecification></Question>
<Question><QuestionIdentifier>mood</QuestionIdentifier><QuestionContent><Text>Mood?</Text></QuestionContent>
<AnswerSpecification><SelectionAnswer><StyleSuggestion>radiobutton</StyleSuggestion><Selections>
<Selection><SelectionIdentifier>happy</SelectionIdentifier><Text>Happy</Text></Selection>
<Selection><SelectionIdentifier>sad</SelectionIdentifier><Text>Sad</Text></Selection>
</Selections></SelectionAnswer></AnswerSpecification></Question>
<Question><QuestionIdentifier>light</QuestionIdentifier><QuestionContent><Text>Light?</Text></QuestionContent>
<AnswerSpecification><SelectionAnswer><StyleSuggestion>dropdown</StyleSuggestion><Selections>
<Selection><SelectionIdentifier>day</SelectionIdentifier><Text>Day</Text></Selection>
<Selection><SelectionIdentifier>night</SelectionIdentifier><Text>Night</Text></Selection>
</Selections></SelectionAnswer></AnswerSpecification></Question>
<Question><QuestionIdentifier>place</QuestionIdentifier><QuestionContent><Text>Where?</Text></QuestionContent>
<AnswerSpecification><SelectionAnswer><StyleSuggestion>list</StyleSuggestion><Selections>
<Selection><SelectionIdentifier>indoors</SelectionIdentifier><Text>Indoors</Text></Selection>
<Selection><SelectionIdentifier>outdoors</SelectionIdentifier><Text>Outdoors</Text></Selection>
</Selections></SelectionAnswer></AnswerSpecification></Question>
<Question><QuestionIdentifier>photo</QuestionIdentifier><QuestionContent><Text>Your own photo</Text>
</QuestionContent><AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>100000</MaxFileSizeInBytes>
<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question>
</QuestionForm>"""


def html_question(body: str, head: str = "") -> str:
    return (
        '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/'
        f'HTMLQuestion.xsd"><HTMLContent><![CDATA[<!DOCTYPE html><html><head>{head}</head><body>{body}'
        "</body></html>]]></HTMLContent><FrameHeight>400</FrameHeight></HTMLQuestion>"
    )


# MTurk's classic HTMLQuestion: externalHIT_v1.js (unreachable here), a form posting to www.mturk.com.
HTML_TASK = html_question(
    "<form name='mturk_form' method='post' id='mturk_form' action='https://www.mturk.com/mturk/externalSubmit'>"
    "<input type='hidden' value='' name='assignmentId' id='assignmentId'/>"
    "<p id='cookie'></p><p id='parent'></p>"
    "<textarea name='comment' id='comment'></textarea>"
    "<input type='submit' id='submitButton' value='Submit'/></form>"
    "<script>turkSetAssignmentID();"
    # What requester code must not reach: the app's cookie and the page around the frame.
    "document.getElementById('cookie').textContent='cookie:'+(function(){try{return document.cookie}"
    "catch(e){return 'blocked'}})();"
    "document.getElementById('parent').textContent='parent:'+(function(){try{return parent.document.title}"
    "catch(e){return 'blocked'}})();</script>",
    "<script src='https://s3.amazonaws.com/mturk-public/externalHIT_v1.js'></script>",
)

CROWD_TASK = html_question(
    "<crowd-form><crowd-classifier name='sentiment' categories=\"['Positive','Negative']\" "
    "header='How does this sound?'><classification-target>Lovely!</classification-target>"
    "</crowd-classifier></crowd-form>",
    "<script src='https://assets.crowd.aws/crowd-html-elements.js'></script>",
)

# A stand-in for crowd-html-elements.js with the one behaviour the app relies on: <crowd-form> posts
# {assignmentId, taskAnswers: JSON} to turkSubmitTo + /mturk/externalSubmit.
CROWD_SCRIPT = """
customElements.define('crowd-classifier', class extends HTMLElement {
  connectedCallback() { for (const c of JSON.parse(this.getAttribute('categories').replace(/'/g, '"'))) {
    const l = document.createElement('label'); l.innerHTML = '<input type=radio name=c value="' + c + '">' + c;
    this.appendChild(l); } } });
customElements.define('crowd-form', class extends HTMLElement {
  connectedCallback() { const b = document.createElement('button'); b.id = 'crowd-submit';
    b.textContent = 'Submit'; b.type = 'button'; this.appendChild(b);
    b.addEventListener('click', () => { const q = new URLSearchParams(location.search);
      const answers = {}; this.querySelectorAll('crowd-classifier').forEach(x => {
        const c = x.querySelector('input:checked'); answers[x.getAttribute('name')] = {label: c && c.value}; });
      const f = document.createElement('form'); f.method = 'post';
      f.action = q.get('turkSubmitTo') + '/mturk/externalSubmit';
      for (const [k, v] of [['assignmentId', q.get('assignmentId')], ['taskAnswers', JSON.stringify([answers])]]) {
        const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
      document.body.appendChild(f); f.submit(); }); } });
"""

EXTERNAL_URL = "https://tasks.example.test/survey?study=7"
EXTERNAL_QUESTION = (
    '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/'
    f'ExternalQuestion.xsd"><ExternalURL>{EXTERNAL_URL.replace("&", "&amp;")}</ExternalURL>'
    "<FrameHeight>300</FrameHeight></ExternalQuestion>"
)
# The requester's own site: reads MTurk's four parameters and posts back to turkSubmitTo.
EXTERNAL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<p id="params"></p>
<form id="f" method="post"><input type="hidden" name="assignmentId" id="a">
<input name="answer" id="answer"><button id="send" type="submit">Send</button></form>
<script>const q = new URLSearchParams(location.search);
document.getElementById('params').textContent = ['assignmentId', 'hitId', 'workerId', 'study']
  .map(k => k + '=' + q.get(k)).join(' ');
document.getElementById('a').value = q.get('assignmentId');
document.getElementById('f').action = q.get('turkSubmitTo') + '/mturk/externalSubmit';</script>
</body></html>"""
